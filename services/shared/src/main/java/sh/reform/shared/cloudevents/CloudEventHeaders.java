package sh.reform.shared.cloudevents;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 attributes as Kafka record headers, binary content mode of the CloudEvents
 * Kafka protocol binding: {@code ce_id}, {@code ce_source}, {@code ce_type}, {@code ce_specversion},
 * {@code ce_time}, {@code ce_subject}, and the data content type in {@code content-type}.
 * The record value stays the Avro payload, so any CloudEvents-aware consumer can route and
 * deduplicate on headers alone without the registry.
 *
 * <p>Written here rather than with the CloudEvents Java SDK's Kafka module because the SDK's
 * serializer owns the record value, while the value here is owned by the Avro serializer.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "1.0";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SPECVERSION = "ce_specversion";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    /** Content type of Avro payloads in the Confluent wire format. */
    public static final String AVRO_CONTENT_TYPE = "application/avro";

    private CloudEventHeaders() {
    }

    /** Writes (replacing any earlier values) the attributes onto the headers. */
    public static void write(Headers headers, CloudEvent event) {
        put(headers, ID, event.id());
        put(headers, SOURCE, event.source().toString());
        put(headers, TYPE, event.type());
        put(headers, SPECVERSION, SPEC_VERSION);
        put(headers, TIME, event.time().toString());
        if (event.subject() != null) {
            put(headers, SUBJECT, event.subject());
        }
        put(headers, CONTENT_TYPE, event.dataContentType());
    }

    /** Reads the attributes back; empty when the record carries no {@code ce_id}. */
    public static Optional<CloudEvent> read(Headers headers) {
        String id = get(headers, ID);
        if (id == null) {
            return Optional.empty();
        }
        String time = get(headers, TIME);
        String source = get(headers, SOURCE);
        return Optional.of(new CloudEvent(id, source == null ? URI.create("/") : URI.create(source), get(headers, TYPE),
                time == null ? null : Instant.parse(time), get(headers, SUBJECT), get(headers, CONTENT_TYPE)));
    }

    public static String get(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The CloudEvents context attributes the platform sets. */
    public record CloudEvent(String id, URI source, String type, Instant time, String subject, String dataContentType) {
        public CloudEvent {
            if (id == null || id.isBlank() || type == null || type.isBlank() || source == null || time == null) {
                throw new IllegalArgumentException("ce id, source, type and time are required");
            }
            if (dataContentType == null) {
                dataContentType = AVRO_CONTENT_TYPE;
            }
        }
    }
}
