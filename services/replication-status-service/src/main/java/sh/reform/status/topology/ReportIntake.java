package sh.reform.status.topology;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.shared.registry.SchemaRegistryUnavailableException;
import sh.reform.shared.topics.Topic;
import sh.reform.status.fold.CatalogView;
import sh.reform.status.fold.CellState;

/**
 * The door of the fold: turns one record of an event topic, as bytes, into an event the fold can
 * apply, or into the reason it cannot. The live topology and the as-of replay both go through it, so
 * they accept and refuse exactly the same records.
 *
 * <p>A record is refused when it cannot be read (not Avro in the registry's wire format, unknown
 * schema id), is of another type than its topic carries, has no key or a key other than its own
 * cell's, or names a district or a case that does not exist. A registry that cannot be reached is
 * not the record's fault: that error is thrown, so the record is tried again instead of being refused.
 */
public final class ReportIntake {

    public static final String MISSING_VALUE = "missing-value";
    public static final String UNREADABLE = "unreadable";
    public static final String WRONG_TYPE = "wrong-type";
    public static final String MISSING_KEY = "missing-key";
    public static final String WRONG_KEY = "wrong-key";
    public static final String UNKNOWN_DISTRICT = "unknown-district";
    public static final String UNKNOWN_CASE = "unknown-case";
    /** The fold itself refused the event; a defect, but one record must not stop every district's status. */
    public static final String NOT_APPLICABLE = "not-applicable";

    private final Deserializer<Object> avro;
    private final CatalogView catalog;
    private final Set<String> districts;

    /**
     * @param avro      reads the registry's wire format into the generated classes
     * @param catalog   the published cases
     * @param districts codes of the jurisdictions that report (the county level)
     */
    public ReportIntake(Deserializer<Object> avro, CatalogView catalog, Set<String> districts) {
        this.avro = Objects.requireNonNull(avro, "avro");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.districts = Set.copyOf(districts);
    }

    /** What became of one record. */
    public sealed interface Result permits Accepted, Rejected {
    }

    /** An event for the cell {@code cellKey}. */
    public record Accepted(String cellKey, SpecificRecord event, EventEnvelope envelope) implements Result {
    }

    /** A refused record: {@code reason} is one of this class's codes, {@code detail} says more. */
    public record Rejected(String reason, String detail) implements Result {
    }

    /** Reads one record of {@code topic}. */
    public Result read(Topic<?> topic, byte[] key, byte[] value) {
        if (value == null) {
            return new Rejected(MISSING_VALUE, "the record has no value (a tombstone on an event topic)");
        }
        Object decoded;
        try {
            decoded = avro.deserialize(topic.name(), value);
        } catch (SerializationException e) {
            if (registryUnreachable(e)) {
                throw e;
            }
            return new Rejected(UNREADABLE, e.getMessage());
        }
        if (!topic.valueType().isInstance(decoded)) {
            return new Rejected(WRONG_TYPE, "expected " + topic.valueType().getSimpleName() + " on " + topic.name()
                    + ", got " + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        SpecificRecord event = (SpecificRecord) decoded;
        EventEnvelope envelope = CellState.envelopeOf(event);
        String cellKey = Topic.cellKey(envelope.getCaseId(), envelope.getDistrictCode());
        if (key == null) {
            return new Rejected(MISSING_KEY, "the record has no key; expected '" + cellKey + "'");
        }
        String actualKey = new String(key, StandardCharsets.UTF_8);
        if (!actualKey.equals(cellKey)) {
            return new Rejected(WRONG_KEY, "key '" + actualKey + "' but the event is for '" + cellKey + "'");
        }
        if (!districts.contains(envelope.getDistrictCode())) {
            return new Rejected(UNKNOWN_DISTRICT, "no reporting district " + envelope.getDistrictCode());
        }
        if (catalog.caseInfo(envelope.getCaseId()).isEmpty()) {
            return new Rejected(UNKNOWN_CASE, "the catalog has no case " + envelope.getCaseId());
        }
        return new Accepted(cellKey, event, envelope);
    }

    static boolean registryUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
