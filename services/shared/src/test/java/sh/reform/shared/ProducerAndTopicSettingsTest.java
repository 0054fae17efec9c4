package sh.reform.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import sh.reform.local.infra.RealInfra;

import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.topics.TopicCatalog;
import sh.reform.shared.topics.TopicProvisioner;
import sh.reform.shared.topics.Topics;

class ProducerAndTopicSettingsTest {

    @Test
    void producerIsAcksAllAndIdempotentEvenWhenConfigurationSaysOtherwise() {
        Map<String, Object> p = new HashMap<>(ProducerDefaults.avroProducer("127.0.0.1:9092", "http://r"));
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        ProducerDefaults.enforce(p);
        ProducerConfig parsed = new ProducerConfig(p);
        assertThat(parsed.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(parsed.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(parsed.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isLessThan(5000);
        assertThat(parsed.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isLessThan(5000);
    }

    @Test
    void catalogNamesEveryTopicWithItsDeadLetterTopic() {
        var names = TopicCatalog.singleBroker().newTopics().stream().map(NewTopic::name).toList();
        assertThat(names).hasSize(Topics.ALL.size() * 2).doesNotHaveDuplicates()
                .contains("reform.case-adoption", "reform.case-adoption.dlq", "reform.replication-status");
    }

    @Test
    void replicationFollowsTheNumberOfBrokers() throws Exception {
        assertThat(TopicCatalog.forBrokers(6, 1)).isEqualTo(new TopicCatalog(6, (short) 1, 1));
        assertThat(TopicCatalog.forBrokers(6, 2)).isEqualTo(new TopicCatalog(6, (short) 2, 1));
        assertThat(TopicCatalog.forBrokers(6, 3)).isEqualTo(new TopicCatalog(6, (short) 3, 2));
        assertThat(TopicCatalog.forBrokers(12, 5)).isEqualTo(new TopicCatalog(12, (short) 3, 2));
        assertThat(TopicCatalog.forBrokers(6, 3).newTopics()).allSatisfy(t -> {
            assertThat(t.replicationFactor()).isEqualTo((short) 3);
            assertThat(t.configs()).containsEntry("min.insync.replicas", "2");
        });
        // The single local broker keeps working: derived from the cluster, 1 and 1.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfra.broker().bootstrapServers()))) {
            assertThat(TopicProvisioner.catalogFor(admin, 6)).isEqualTo(TopicCatalog.singleBroker());
        }
    }

    @Test
    void provisioningIsIdempotentAndKeepsEventsForeverAndStatusCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfra.broker().bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.singleBroker());
            assertThat(TopicProvisioner.ensure(admin, TopicCatalog.singleBroker())).isEmpty();

            var events = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MEASURE_ROLLOUT.name());
            var status = new ConfigResource(ConfigResource.Type.TOPIC, Topics.REPLICATION_STATUS.name());
            var configs = admin.describeConfigs(Set.of(events, status)).all().get();
            assertThat(configs.get(events).get("retention.ms").value()).isEqualTo("-1");
            assertThat(configs.get(events).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(configs.get(status).get("cleanup.policy").value()).isEqualTo("compact");
            var partitions = admin.describeTopics(Topics.EVENTS.stream().map(t -> t.name()).toList())
                    .allTopicNames().get().values().stream().map(d -> d.partitions().size()).distinct().toList();
            assertThat(partitions).containsExactly(6);
        }
    }
}
