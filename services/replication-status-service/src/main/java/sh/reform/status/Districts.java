package sh.reform.status;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import sh.reform.catalog.Jurisdiction;

/** The reporting districts (the county level), in the order of the reference list. */
public record Districts(List<Jurisdiction> all) {

    public Districts {
        all = List.copyOf(all);
    }

    public Set<String> codes() {
        return all.stream().map(Jurisdiction::code).collect(Collectors.toUnmodifiableSet());
    }

    public Optional<Jurisdiction> byCode(String code) {
        return all.stream().filter(j -> j.code().equals(code)).findFirst();
    }
}
