package sh.reform.gateway.store;

import java.time.Duration;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaAdmin;

import sh.reform.shared.config.ReformPlatformAutoConfiguration.TopicCatalogHolder;
import sh.reform.shared.topics.TopicCatalog;
import tools.jackson.databind.json.JsonMapper;

/** Opens the gateway's tables: creates the compacted topic when missing, reads it, keeps following it. */
public final class Stores {

    /** How long start-up waits for a table to be read before the service answers 503 instead. */
    static final Duration READ_AT_START = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Stores() {
    }

    /**
     * @param topics the platform's topic settings, derived from the cluster like every other topic's (replication
     *               min(3, brokers), {@code min.insync.replicas} 2 at 3); null catalog: the brokers' defaults
     */
    public static <T> KafkaJsonStore<T> open(KafkaAdmin admin, KafkaProperties kafka, TopicCatalogHolder topics, String topic,
                                             Class<T> type) {
        TopicCatalog c = topics.catalog();
        admin.createOrModifyTopics(c != null ? KafkaJsonStore.newTopic(topic, c.replicationFactor(), c.minInsyncReplicas())
                : KafkaJsonStore.newTopicWithBrokerDefaults(topic));
        KafkaJsonStore<T> store = new KafkaJsonStore<>(String.join(",", kafka.getBootstrapServers()), topic, type, JSON);
        store.start(READ_AT_START);
        return store;
    }
}
