package sh.reform.shared.topics;

import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of the platform: its name, the type of its values (always an Avro class of
 * the contract, in the Confluent wire format), its keys (always a UTF-8 string, see
 * {@link KeyFormat}), how it is kept, its dead-letter topic and its CloudEvents type.
 */
public record Topic<V extends SpecificRecord>(
        String name,
        Class<V> valueType,
        KeyFormat keyFormat,
        Retention retention,
        String deadLetterTopic,
        String cloudEventType) {

    /** What a record key holds. */
    public enum KeyFormat {
        /** {@code caseId|districtCode}, e.g. {@code SH-2023-01|310116}: the unit of replication status. */
        CASE_AND_DISTRICT,
        /** A catalog id ({@code SH-2023-01}, {@code SH-2023}). */
        CATALOG_ID,
        /** {@code principal|target}: a small per-principal table (follows, read marks), one partition. */
        PRINCIPAL,
        /** {@code batchId|period|vN}: one issued version of a bulletin (通报), a small table read whole, one partition. */
        BULLETIN_VERSION
    }

    /** How a topic keeps its records. */
    public enum Retention {
        /** The source of truth: every event forever (retention.ms=-1, cleanup delete). */
        FOREVER,
        /** Latest value per key (cleanup compact). */
        COMPACTED,
        /** Kept for a limited time (alerts). */
        TIME_LIMITED
    }

    /** The key of a case-in-district cell. */
    public static String cellKey(String caseId, String districtCode) {
        return caseId + "|" + districtCode;
    }
}
