package sh.reform.shared.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.AvroSerializer;

/**
 * The producer settings every service uses: nothing lost ({@code acks=all}), nothing doubled
 * (idempotence), and failures fast enough that an HTTP caller gets 503 within 5 seconds when the
 * broker is gone, instead of a request that hangs: metadata waits at most 2 s
 * ({@code max.block.ms}) and a send gives up after 4.5 s ({@code delivery.timeout.ms}).
 */
public final class ProducerDefaults {

    private ProducerDefaults() {
    }

    /** The safety settings; callers may not weaken them ({@link #enforce}). */
    public static final Map<String, Object> SAFETY = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
            ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);

    /** Producer properties for string keys and Avro values against the given broker and registry. */
    public static Map<String, Object> avroProducer(String bootstrapServers, String registryUrl) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        p.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4500);
        return enforce(p);
    }

    /** Puts the safety settings over whatever the configuration says. */
    public static Map<String, Object> enforce(Map<String, Object> props) {
        props.putAll(SAFETY);
        return props;
    }
}
