package sh.reform.status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import sh.reform.catalog.Jurisdiction;

/**
 * The reporting districts (the county level), in the order of the reference list, indexed by code, with
 * the parent of every jurisdiction above them so that a view can be narrowed to one province or city
 * (nation → province → city → district).
 */
public final class Districts {

    private final List<Jurisdiction> all;
    private final Map<String, String> parentOf;
    private final Map<String, Jurisdiction> byCode;
    /** {@link #under} by ancestor, computed once each: a matrix page narrowed to a province asks it per request. */
    private final Map<String, List<Jurisdiction>> under = new java.util.concurrent.ConcurrentHashMap<>();

    public Districts(List<Jurisdiction> all, Map<String, String> parentOf) {
        this.all = List.copyOf(all);
        this.parentOf = Map.copyOf(parentOf);
        this.byCode = this.all.stream().collect(Collectors.toUnmodifiableMap(Jurisdiction::code, Function.identity(), (a, b) -> a));
    }

    /** Districts whose parents are only known from the districts themselves (enough for a flat list). */
    public Districts(List<Jurisdiction> all) {
        this(all, parents(all));
    }

    /** The reporting districts of a catalog, with the parents of every jurisdiction in it. */
    public static Districts of(List<Jurisdiction> reporting, List<Jurisdiction> allJurisdictions) {
        return new Districts(reporting, parents(allJurisdictions));
    }

    private static Map<String, String> parents(List<Jurisdiction> jurisdictions) {
        Map<String, String> m = new HashMap<>();
        for (Jurisdiction j : jurisdictions) {
            if (j.parent() != null) {
                m.put(j.code(), j.parent());
            }
        }
        return m;
    }

    /** Every reporting district, in the order of the reference list. */
    public List<Jurisdiction> all() {
        return all;
    }

    public Set<String> codes() {
        return byCode.keySet();
    }

    public Optional<Jurisdiction> byCode(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    /** Whether {@code code} is {@code ancestor} or lies under it. */
    public boolean isUnder(String code, String ancestor) {
        String c = code;
        for (int depth = 0; c != null && depth < 8; depth++) {
            if (c.equals(ancestor)) {
                return true;
            }
            c = parentOf.get(c);
        }
        return false;
    }

    /** Whether the code names a jurisdiction known at any level (a district or one above it). */
    public boolean knows(String code) {
        return byCode.containsKey(code) || parentOf.containsValue(code);
    }

    /** The districts under {@code ancestor} (a province, city or district code), in reference order. */
    public List<Jurisdiction> under(String ancestor) {
        return under.computeIfAbsent(ancestor, a -> all.stream().filter(d -> isUnder(d.code(), a)).toList());
    }
}
