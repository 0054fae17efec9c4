package sh.reform.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.SpecificAvroSerde;
import sh.reform.shared.topics.Topic;

/**
 * Every committed record of one of the platform's topics on the test broker, read from the beginning to the end
 * offsets as they stood when reading began ({@code read_committed}: aborted transactions are not seen).
 */
final class CommittedRecords {

    private CommittedRecords() {
    }

    static <V extends SpecificRecord> List<ConsumerRecord<String, V>> of(Topic<V> topic) {
        SpecificAvroSerde<V> serde = new SpecificAvroSerde<>(topic.valueType());
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, RealInfraFixture.registry()), false);
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfraFixture.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
