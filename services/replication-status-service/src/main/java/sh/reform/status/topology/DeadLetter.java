package sh.reform.status.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record the fold cannot take, as it goes to its topic's dead-letter topic: the original key, value
 * and headers, unchanged, plus headers that say why and where it came from, so that it can be
 * repaired and sent again.
 */
public final class DeadLetter {

    /** Why the record was refused: one of the {@code Rejection} codes, e.g. {@code unreadable}. */
    public static final String REASON = "reform-dlq-reason";
    /** The refusal in words (English), for whoever repairs the record. */
    public static final String DETAIL = "reform-dlq-detail";
    public static final String SOURCE_TOPIC = "reform-dlq-source-topic";
    public static final String SOURCE_PARTITION = "reform-dlq-source-partition";
    public static final String SOURCE_OFFSET = "reform-dlq-source-offset";

    private DeadLetter() {
    }

    /** The original headers followed by the dead-letter headers. */
    static Headers headers(Headers original, ReportIntake.Rejected why, String topic, int partition, long offset) {
        Headers headers = new RecordHeaders(original.toArray());
        put(headers, REASON, why.reason());
        put(headers, DETAIL, why.detail());
        put(headers, SOURCE_TOPIC, topic);
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
