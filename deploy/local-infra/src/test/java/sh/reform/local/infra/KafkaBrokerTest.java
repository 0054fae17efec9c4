package sh.reform.local.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void startsTransactionsWorkAndDataSurvivesRestartAndKill() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0, 0)) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(Ports.isTaken(broker.port())).isTrue();
            assertThat(dataDir.resolve("logs/kafka.log")).content().contains(KafkaBroker.STARTED_MARKER);
            String clusterId = Files.readString(dataDir.resolve("kafka/meta.properties"));

            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("events", 3, (short) 1))).all().get();
                assertThat(admin.describeTopics(Set.of("events")).allTopicNames().get().get("events").partitions()).hasSize(3);
            }
            writeTransactionally(broker, "committed-1", true);
            writeTransactionally(broker, "aborted", false);
            writeTransactionally(broker, "committed-2", true);
            assertThat(readCommitted(broker)).containsExactly("committed-1", "committed-2");

            int port = broker.port();
            broker.restart();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(Files.readString(dataDir.resolve("kafka/meta.properties"))).isEqualTo(clusterId);
            writeTransactionally(broker, "committed-3", true);
            assertThat(readCommitted(broker)).containsExactly("committed-1", "committed-2", "committed-3");

            long pid = broker.process().pid();
            broker.kill();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            broker.restart();
            assertThat(readCommitted(broker)).containsExactly("committed-1", "committed-2", "committed-3");
        }
        assertThat(dataDir.resolve("kafka/meta.properties")).exists();
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static void writeTransactionally(KafkaBroker broker, String value, boolean commit) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("events", 0, "k", value));
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }

    private static List<String> readCommitted(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition("events", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
