package sh.reform.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.TopicCatalog;
import sh.reform.shared.topics.Topics;

/**
 * The committed {@code manifests/kafka/topics.yaml} is exactly what {@link TopicManifests} renders from
 * the catalog today. With {@code -Dreform.k8s.regenerate=true} it writes the file instead (the command is
 * in the file's header and in README.md).
 */
class TopicManifestsTest {

    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    @Test
    void committedTopicsAreWhatTheCatalogRendersToday() throws Exception {
        Path committed = moduleDir().resolve(TopicManifests.COMMITTED_FILE);
        String rendered = TopicManifests.render(TopicManifests.PRODUCTION, TopicManifests.CLUSTER);
        if (Boolean.getBoolean("reform.k8s.regenerate")) {
            Files.writeString(committed, rendered, StandardCharsets.UTF_8);
        }
        assertThat(committed).exists();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("%s differs from the catalog; regenerate it with:%n  %s", committed, TopicManifests.REGENERATE_COMMAND)
                .isEqualTo(rendered);
    }

    @Test
    void everyTopicAndEveryDeadLetterTopicIsRendered() {
        String yaml = TopicManifests.render(TopicManifests.PRODUCTION, TopicManifests.CLUSTER);
        for (Topic<?> t : Topics.ALL) {
            assertThat(yaml).contains("\n  topicName: " + t.name() + "\n", "\n  topicName: " + t.deadLetterTopic() + "\n");
        }
        assertThat(yaml.split("\nkind: KafkaTopic\n", -1)).hasSize(2 * Topics.ALL.size() + 1);
    }

    @Test
    void productionIsAProfileAndLeavesTheLocalDefaultsAlone() {
        assertThat(TopicManifests.PRODUCTION).isEqualTo(new TopicCatalog(24, (short) 3, 2));
        assertThat(TopicCatalog.singleBroker().eventPartitions()).isEqualTo(6);
        // Another profile renders other numbers, from the same catalog.
        String small = TopicManifests.render(new TopicCatalog(12, (short) 3, 2), "other");
        assertThat(small).contains("  partitions: 12\n", "strimzi.io/cluster: other").doesNotContain("partitions: 24");
    }

    @Test
    void scalarsAreQuotedOnlyWhenYamlWouldMisreadThem() {
        assertThat(TopicManifests.yamlScalar("-1")).isEqualTo("-1");
        assertThat(TopicManifests.yamlScalar("compact")).isEqualTo("compact");
        assertThat(TopicManifests.yamlScalar("true")).isEqualTo("\"true\"");
        assertThat(TopicManifests.yamlScalar("compact,delete")).isEqualTo("\"compact,delete\"");
    }
}
