package sh.reform.local.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClusterTest {

    @TempDir
    Path dataDir;

    @Test
    void threeNodesReplicateAndKeepWritingWhileOneIsKilled() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(dataDir)) {
            assertThat(cluster.size()).isEqualTo(3);
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                ids.add(clusterId(dataDir.resolve("node-" + i + "/kafka/meta.properties")));
            }
            assertThat(ids).containsOnly(ids.get(0));

            try (Admin admin = admin(cluster)) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
                // The broker defaults: a topic created without settings has 3 replicas and min ISR 2.
                admin.createTopics(List.of(new NewTopic("events", Optional.of(3), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                TopicDescription events = eventually(() -> admin.describeTopics(Set.of("events")).allTopicNames().get().get("events"));
                assertThat(events.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "events");
                Config config = eventually(() -> admin.describeConfigs(Set.of(topic)).all().get().get(topic));
                assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            }
            writeTransactionally(cluster, "committed-1", true);
            writeTransactionally(cluster, "aborted", false);
            try (Admin admin = admin(cluster)) {
                TopicDescription tx = eventually(() -> admin.describeTopics(Set.of("__transaction_state")).allTopicNames().get())
                        .get("__transaction_state");
                assertThat(tx.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
                Config b = admin.describeConfigs(Set.of(broker)).all().get().get(broker);
                assertThat(b.get("offsets.topic.replication.factor").value()).isEqualTo("3");
                assertThat(b.get("transaction.state.log.min.isr").value()).isEqualTo("2");
                assertThat(b.get("default.replication.factor").value()).isEqualTo("3");
            }

            // kill -9 the leader of partition 0: writes with acks=all and transactions go on with two nodes.
            int leader = leaderOf(cluster, 0);
            int index = leader - 1;
            long pid = cluster.node(index).process().pid();
            cluster.kill(index);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(cluster.node(index).isRunning()).isFalse();
            long t0 = System.nanoTime();
            writeTransactionally(cluster, "committed-2", true);
            System.out.printf("a transaction committed %.1f s after kill -9 of node %d%n", (System.nanoTime() - t0) / 1e9, leader);
            assertThat(leaderOf(cluster, 0)).isNotEqualTo(leader);
            assertThat(readCommitted(cluster)).containsExactly("committed-1", "committed-2");

            int port = cluster.node(index).port();
            cluster.startAgain(index);
            assertThat(cluster.node(index).port()).isEqualTo(port);
            assertThat(cluster.node(index).isRunning()).isTrue();
            try (Admin admin = admin(cluster)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!fullyReplicated(admin) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(fullyReplicated(admin)).as("the restarted node is back in every ISR").isTrue();
            }
            writeTransactionally(cluster, "committed-3", true);
            assertThat(readCommitted(cluster)).containsExactly("committed-1", "committed-2", "committed-3");
        }
    }

    @Test
    void replicationFollowsTheNumberOfNodes() {
        assertThat(KafkaCluster.replicationFactor(1)).isEqualTo(1);
        assertThat(KafkaCluster.replicationFactor(2)).isEqualTo(2);
        assertThat(KafkaCluster.replicationFactor(3)).isEqualTo(3);
        assertThat(KafkaCluster.replicationFactor(5)).isEqualTo(3);
        assertThat(KafkaCluster.minInsyncReplicas(1)).isEqualTo(1);
        assertThat(KafkaCluster.minInsyncReplicas(2)).isEqualTo(1);
        assertThat(KafkaCluster.minInsyncReplicas(3)).isEqualTo(2);
    }

    interface Call<T> {
        T call() throws Exception;
    }

    /** Metadata reaches every node a moment after a topic is created: ask again for up to 20 s. */
    static <T> T eventually(Call<T> call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return call.call();
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static String clusterId(Path meta) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(meta)) {
            p.load(in);
        }
        return p.getProperty("cluster.id");
    }

    private static boolean fullyReplicated(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(Set.of("events")).allTopicNames().get().get("events");
        return d.partitions().stream().allMatch(p -> p.isr().size() == 3);
    }

    private static int leaderOf(KafkaCluster cluster, int partition) throws Exception {
        try (Admin admin = admin(cluster)) {
            TopicPartitionInfo info = eventually(() -> admin.describeTopics(Set.of("events")).allTopicNames().get())
                    .get("events").partitions().get(partition);
            return info.leader().id();
        }
    }

    private static Admin admin(KafkaCluster cluster) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    private static void writeTransactionally(KafkaCluster cluster, String value, boolean commit) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
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

    private static List<String> readCommitted(KafkaCluster cluster) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition("events", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
