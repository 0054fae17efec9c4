package sh.reform.shared.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics as a deployment creates them: partitions and replication are settings, names and
 * kinds are fixed by {@link Topics}. Immutable; built once from configuration.
 *
 * @param eventPartitions partitions of the three co-partitioned event topics and of the status topic
 * @param replicationFactor 1 on one broker, 3 in a cluster
 * @param minInsyncReplicas 1 on one broker, 2 in a cluster
 */
public record TopicCatalog(int eventPartitions, short replicationFactor, int minInsyncReplicas) {

    /** Alerts are kept a year; the city office's history of warnings. */
    static final long ALERT_RETENTION_MS = 366L * 24 * 3600 * 1000;

    public static TopicCatalog singleBroker() {
        return new TopicCatalog(6, (short) 1, 1);
    }

    /**
     * The settings for a cluster of {@code brokers} brokers: replication factor min(3, brokers), and
     * {@code min.insync.replicas} 2 when that is 3 (a write is acknowledged by two copies, and one broker
     * may be down), else 1.
     */
    public static TopicCatalog forBrokers(int eventPartitions, int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("no brokers: " + brokers);
        }
        short replication = (short) Math.min(3, brokers);
        return new TopicCatalog(eventPartitions, replication, replication >= 3 ? 2 : 1);
    }

    public TopicCatalog {
        if (eventPartitions < 1 || replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("invalid topic settings: partitions=" + eventPartitions
                    + " replication=" + replicationFactor + " min.insync=" + minInsyncReplicas);
        }
    }

    /** Every topic and every dead-letter topic, ready for {@code Admin.createTopics} or Spring's KafkaAdmin. */
    public List<NewTopic> newTopics() {
        List<NewTopic> out = new ArrayList<>();
        for (Topic<?> t : Topics.ALL) {
            out.add(new NewTopic(t.name(), partitionsOf(t), replicationFactor).configs(configsOf(t)));
            out.add(new NewTopic(t.deadLetterTopic(), 1, replicationFactor).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas))));
        }
        return out;
    }

    public int partitionsOf(Topic<?> topic) {
        return switch (topic.keyFormat()) {
            case CASE_AND_DISTRICT -> eventPartitions;
            case CATALOG_ID, PRINCIPAL, BULLETIN_VERSION -> 1;
        };
    }

    public Map<String, String> configsOf(Topic<?> topic) {
        String minIsr = Integer.toString(minInsyncReplicas);
        return switch (topic.retention()) {
            case FOREVER -> Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
            case COMPACTED -> Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
            case TIME_LIMITED -> Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(ALERT_RETENTION_MS),
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
        };
    }
}
