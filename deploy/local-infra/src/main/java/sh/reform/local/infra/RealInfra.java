package sh.reform.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;


/**
 * For integration tests of every module.
 * A real Kafka broker and a real Apicurio registry (child processes), started once per test JVM
 * in a fresh temporary data folder and stopped when the JVM exits.
 */
public final class RealInfra {

    private static KafkaBroker broker;
    private static KafkaCluster cluster;
    private static ApicurioRegistry registry;
    private static Path dataDir;

    private RealInfra() {
    }

    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = KafkaBroker.start(dir().resolve("kafka"), 0, 0);
        }
        return broker;
    }

    /** A 3-node cluster (its own data folder), for the cluster-mode tests; separate from {@link #broker()}. */
    public static synchronized KafkaCluster cluster() {
        if (cluster == null) {
            cluster = KafkaCluster.start(dir().resolve("kafka-cluster"), KafkaCluster.DEFAULT_NODES);
        }
        return cluster;
    }

    public static synchronized ApicurioRegistry registry() {
        if (registry == null) {
            registry = ApicurioRegistry.start(dir().resolve("registry"), 0);
        }
        return registry;
    }

    public static synchronized void replaceBroker(KafkaBroker b) {
        broker = b;
    }

    public static synchronized void replaceRegistry(ApicurioRegistry r) {
        registry = r;
    }

    private static Path dir() {
        if (dataDir == null) {
            try {
                dataDir = Files.createTempDirectory("reform-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataDir;
    }
}
