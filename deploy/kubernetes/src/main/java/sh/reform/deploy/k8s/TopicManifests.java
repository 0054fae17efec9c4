package sh.reform.deploy.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.NewTopic;

import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.TopicCatalog;
import sh.reform.shared.topics.Topics;

/**
 * Renders the platform's topic catalog ({@link Topics} with the partitions, replication and configs of a
 * {@link TopicCatalog}) as Strimzi {@code KafkaTopic} resources, one YAML document per topic, dead-letter
 * topics included.
 *
 * <p>The rendered topics are exactly {@link TopicCatalog#newTopics()}: the same names, partition counts,
 * replication factors and configs that a service would create on its own at start. So a cluster whose
 * topics come from these manifests and a cluster whose topics a service created look the same, and the
 * committed manifest cannot drift from the catalog: {@code TopicManifestsTest} renders it again and
 * fails when the committed file differs.
 *
 * <p>The local defaults of the catalog ({@link TopicCatalog#singleBroker()}: 6 partitions, one replica)
 * stay as they are; production is a separate profile, {@link #PRODUCTION}, chosen in
 * {@code deploy/kubernetes/README.md} ("Topic sizing") from the national-scale figures. The services in
 * the cluster are given the same three numbers through {@code reform.topics.*} (ConfigMap
 * {@code reform-platform}), which the tests check as well.
 *
 * <p>Regenerate the committed file after a change of the catalog or of the profile (from the repository
 * root):
 *
 * <pre>
 * mvn -B -q -pl deploy/kubernetes -am verify -Dreform.k8s.regenerate=true \
 *     -Dtest=TopicManifestsTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * or, with the module's classpath at hand, {@code java sh.reform.deploy.k8s.TopicManifests
 * [--partitions N] [--replicas R] [--min-insync M] [--cluster NAME] [OUTPUT]} (without OUTPUT it prints).
 */
public final class TopicManifests {

    /**
     * Partitions of the co-partitioned cell-keyed topics in production: 24. Enough status-service tasks
     * for the national matrix (2,800 jurisdictions × 1,000 cases = 2.8 M cells, about 117,000 cells a
     * partition), a multiple of the 3 brokers, and divisible by 1, 2, 3, 4, 6, 8 and 12 instances. The
     * reasoning, and how to grow it, is in {@code deploy/kubernetes/README.md}.
     */
    public static final int PRODUCTION_PARTITIONS = 24;

    /** The production profile: 24 partitions, replication factor 3, {@code min.insync.replicas} 2. */
    public static final TopicCatalog PRODUCTION = new TopicCatalog(PRODUCTION_PARTITIONS, (short) 3, 2);

    /** The name of the Strimzi {@code Kafka} resource the topics belong to (label {@code strimzi.io/cluster}). */
    public static final String CLUSTER = "reform";

    /** Where the generated file is committed, relative to this module's directory. */
    public static final String COMMITTED_FILE = "manifests/kafka/topics.yaml";

    static final String REGENERATE_COMMAND = "mvn -B -q -pl deploy/kubernetes -am verify -Dreform.k8s.regenerate=true"
            + " -Dtest=TopicManifestsTest -Dsurefire.failIfNoSpecifiedTests=false";

    private TopicManifests() {
    }

    /**
     * The {@code KafkaTopic} documents of every topic of the catalog, in the catalog's order, each
     * topic followed by its dead-letter topic.
     *
     * @param catalog partitions, replication factor and {@code min.insync.replicas}
     * @param cluster the Strimzi {@code Kafka} resource's name
     * @return the YAML text, deterministic (configs sorted by name), ending with a newline
     */
    public static String render(TopicCatalog catalog, String cluster) {
        StringBuilder out = new StringBuilder();
        out.append("# GENERATED from the topic catalog (sh.reform.shared.topics.Topics, TopicCatalog) by\n")
                .append("# sh.reform.deploy.k8s.TopicManifests. Do not edit: change the catalog or the profile and run\n")
                .append("#   ").append(REGENERATE_COMMAND).append('\n')
                .append("# Profile: ").append(catalog.eventPartitions()).append(" partitions for the cell-keyed topics, replication factor ")
                .append(catalog.replicationFactor()).append(", min.insync.replicas ").append(catalog.minInsyncReplicas()).append(".\n")
                .append("# The three event topics are co-partitioned: never change the partitions of one alone (see README.md).\n");
        for (NewTopic topic : catalog.newTopics()) {
            out.append("---\n");
            renderOne(out, topic, describe(topic.name()), cluster);
        }
        return out.toString();
    }

    private static void renderOne(StringBuilder out, NewTopic topic, String description, String cluster) {
        out.append("# ").append(description).append('\n')
                .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                .append("kind: KafkaTopic\n")
                .append("metadata:\n")
                .append("  name: ").append(topic.name()).append('\n')
                .append("  labels:\n")
                .append("    strimzi.io/cluster: ").append(cluster).append('\n')
                .append("    app.kubernetes.io/part-of: reform-replication\n")
                .append("spec:\n")
                .append("  topicName: ").append(topic.name()).append('\n')
                .append("  partitions: ").append(topic.numPartitions()).append('\n')
                .append("  replicas: ").append(topic.replicationFactor()).append('\n')
                .append("  config:\n");
        Map<String, String> configs = new TreeMap<>(topic.configs());
        configs.forEach((k, v) -> out.append("    ").append(k).append(": ").append(yamlScalar(v)).append('\n'));
    }

    /** Numbers stay numbers (as Strimzi's examples write them); anything else is quoted when YAML would misread it. */
    static String yamlScalar(String value) {
        if (value.matches("-?\\d+")) {
            return value;
        }
        if (value.matches("[a-z][a-z0-9._-]*") && !List.of("true", "false", "null", "yes", "no", "on", "off").contains(value)) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A one-line comment for a topic: what it holds, its key and how it is kept. */
    static String describe(String name) {
        Optional<Topic<?>> main = Topics.ALL.stream().filter(t -> t.name().equals(name)).findFirst();
        if (main.isPresent()) {
            Topic<?> t = main.get();
            return t.name() + ": " + t.valueType().getSimpleName() + " by " + keyDescription(t.keyFormat())
                    + ", " + retentionDescription(t.retention());
        }
        Optional<Topic<?>> owner = Topics.ALL.stream().filter(t -> t.deadLetterTopic().equals(name)).findFirst();
        if (owner.isPresent()) {
            return name + ": dead letters of " + owner.get().name() + " (original bytes + reason), kept forever";
        }
        throw new IllegalStateException("the catalog created a topic it does not describe: " + name);
    }

    private static String keyDescription(Topic.KeyFormat key) {
        return switch (key) {
            case CASE_AND_DISTRICT -> "caseId|districtCode (co-partitioned)";
            case CATALOG_ID -> "catalog id";
            case PRINCIPAL -> "principal|target (one partition)";
            case BULLETIN_VERSION -> "batchId|period|vN (one partition, every version kept)";
        };
    }

    private static String retentionDescription(Topic.Retention retention) {
        return switch (retention) {
            case FOREVER -> "kept forever (source of truth)";
            case COMPACTED -> "compacted (latest per key)";
            case TIME_LIMITED -> "kept one year";
        };
    }

    /**
     * Prints the production topics, or writes them to a file.
     *
     * @param args {@code [--partitions N] [--replicas R] [--min-insync M] [--cluster NAME] [OUTPUT]}
     * @throws IOException when OUTPUT cannot be written
     */
    public static void main(String[] args) throws IOException {
        int partitions = PRODUCTION.eventPartitions();
        short replicas = PRODUCTION.replicationFactor();
        int minInsync = PRODUCTION.minInsyncReplicas();
        String cluster = CLUSTER;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--replicas" -> replicas = Short.parseShort(args[++i]);
                case "--min-insync" -> minInsync = Integer.parseInt(args[++i]);
                case "--cluster" -> cluster = args[++i];
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + "; usage: TopicManifests [--partitions N] [--replicas R] [--min-insync M] [--cluster NAME] [OUTPUT]");
                    }
                    output = Path.of(args[i]);
                }
            }
        }
        String yaml = render(new TopicCatalog(partitions, replicas, minInsync), cluster);
        if (output == null) {
            System.out.print(yaml);
        } else {
            Files.writeString(output, yaml, StandardCharsets.UTF_8);
            System.out.println("wrote " + output.toAbsolutePath());
        }
    }
}
