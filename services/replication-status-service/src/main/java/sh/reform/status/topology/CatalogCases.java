package sh.reform.status.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.schema.catalog.CatalogCase;
import sh.reform.shared.topics.Topics;
import sh.reform.status.fold.CatalogView;

/**
 * The published cases as the global store {@value StatusTopology#CATALOG_STORE} holds them: the catalog
 * topic's records, key and value bytes exactly as on the topic (so a restore that copies the topic
 * into the store and the processor that fills it agree by construction). Decoded on read, with a
 * cache per case that is refreshed whenever the stored bytes change.
 *
 * <p>A value that cannot be read counts as a case the catalog does not have: events for it are then
 * refused, not folded against a guessed catalog.
 */
public final class CatalogCases implements CatalogView {

    private static final Logger log = LoggerFactory.getLogger(CatalogCases.class);

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final Deserializer<Object> avro;
    private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();

    private record Decoded(byte[] bytes, Optional<CatalogCase> value, Optional<CaseInfo> info) {
    }

    public CatalogCases(ReadOnlyKeyValueStore<String, byte[]> store, Deserializer<Object> avro) {
        this.store = Objects.requireNonNull(store, "store");
        this.avro = Objects.requireNonNull(avro, "avro");
    }

    /** The case as last published; empty when unknown or unreadable. */
    public Optional<CatalogCase> catalogCase(String caseId) {
        return lookup(caseId).value();
    }

    @Override
    public Optional<CaseInfo> caseInfo(String caseId) {
        return lookup(caseId).info();
    }

    /** Every readable case, by batch then rank. */
    public List<CatalogCase> all() {
        List<CatalogCase> cases = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                decode(kv.key, kv.value).value().ifPresent(cases::add);
            }
        }
        cases.sort(Comparator.comparing(CatalogCase::getBatchId).thenComparingInt(CatalogCase::getRank)
                .thenComparing(CatalogCase::getCaseId));
        return cases;
    }

    private Decoded lookup(String caseId) {
        if (caseId == null) {
            return new Decoded(null, Optional.empty(), Optional.empty());
        }
        return decode(caseId, store.get(caseId));
    }

    private Decoded decode(String caseId, byte[] bytes) {
        if (bytes == null) {
            decoded.remove(caseId);
            return new Decoded(null, Optional.empty(), Optional.empty());
        }
        Decoded held = decoded.get(caseId);
        if (held != null && Arrays.equals(held.bytes(), bytes)) {
            return held;
        }
        Decoded fresh;
        try {
            Object value = avro.deserialize(Topics.CATALOG_CASES.name(), bytes);
            if (value instanceof CatalogCase c && c.getCaseId().equals(caseId)) {
                fresh = new Decoded(bytes, Optional.of(c), CatalogView.of(List.of(c)).caseInfo(caseId));
            } else {
                log.warn("catalog record for key {} is not that case's CatalogCase ({}); treating the case as unknown",
                        caseId, value == null ? "null" : value.getClass().getSimpleName());
                fresh = new Decoded(bytes, Optional.empty(), Optional.empty());
            }
        } catch (RuntimeException e) {
            if (ReportIntake.registryUnreachable(e)) {
                throw e;
            }
            log.warn("unreadable catalog record for case {}: {}; treating the case as unknown", caseId, e.getMessage());
            fresh = new Decoded(bytes, Optional.empty(), Optional.empty());
        }
        decoded.put(caseId, fresh);
        return fresh;
    }
}
