package sh.reform.gateway.store;

import java.time.Duration;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaAdmin;

import sh.reform.shared.config.ReformProperties;
import tools.jackson.databind.json.JsonMapper;

/** Opens the gateway's tables: creates the compacted topic when missing, reads it, keeps following it. */
public final class Stores {

    /** How long start-up waits for a table to be read before the service answers 503 instead. */
    static final Duration READ_AT_START = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Stores() {
    }

    public static <T> KafkaJsonStore<T> open(KafkaAdmin admin, KafkaProperties kafka, ReformProperties reform, String topic, Class<T> type) {
        admin.createOrModifyTopics(KafkaJsonStore.newTopic(topic, reform.getTopics().getReplicationFactor(),
                reform.getTopics().getMinInsyncReplicas()));
        KafkaJsonStore<T> store = new KafkaJsonStore<>(String.join(",", kafka.getBootstrapServers()), topic, type, JSON);
        store.start(READ_AT_START);
        return store;
    }
}
