package sh.reform.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * A real Kafka cluster on this machine: N KRaft nodes (default 3), each a combined controller and
 * broker in its own child JVM, with its own ports and log dirs, one cluster id, and the replication a
 * production cluster has: {@code default.replication.factor} = min(3, N), {@code min.insync.replicas} 2
 * when that is 3, and the same for the offsets and transaction state topics. So one node may be killed
 * ({@code kill -9}) and every write with {@code acks=all} still succeeds.
 * <pre>
 *   &lt;dataDir&gt;/node-1/kafka/   log.dirs of node 1 (meta.properties holds the cluster id)
 *   &lt;dataDir&gt;/node-1/config/  server.properties, rewritten at each start
 *   &lt;dataDir&gt;/node-1/logs/kafka.log
 *   &lt;dataDir&gt;/node-2/...
 * </pre>
 * The quorum is static ({@code controller.quorum.voters} lists every node), so the ports may change from
 * one start of the whole cluster to the next, never while it runs: a node restarts on its own ports.
 */
public final class KafkaCluster implements AutoCloseable {

    public static final int DEFAULT_NODES = 3;

    private final Path dataDir;
    private final List<KafkaBroker> nodes;

    private KafkaCluster(Path dataDir, List<KafkaBroker> nodes) {
        this.dataDir = dataDir;
        this.nodes = List.copyOf(nodes);
    }

    /** {@value #DEFAULT_NODES} nodes on free ports. */
    public static KafkaCluster start(Path dataDir) {
        return start(dataDir, DEFAULT_NODES);
    }

    /** {@code count} nodes on free ports. */
    public static KafkaCluster start(Path dataDir, int count) {
        return start(dataDir, count, 0, 0, 0);
    }

    /**
     * {@code count} nodes; node i (0-based) listens on {@code firstPort + step*i} and its controller on
     * {@code firstControllerPort + step*i}; a first port of 0 picks free ports. Starts them side by side
     * (a node is ready only once the quorum has a leader) and waits until every one logged "Kafka Server
     * started" and accepts connections.
     *
     * @throws PortInUseException if a port is taken
     */
    public static KafkaCluster start(Path dataDir, int count, int firstPort, int firstControllerPort, int step) {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster has at least one node: " + count);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        int[] free = Ports.freePorts(2 * count);
        int[] ports = new int[count];
        int[] controllerPorts = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = firstPort == 0 ? free[2 * i] : firstPort + step * i;
            controllerPorts[i] = firstControllerPort == 0 ? free[2 * i + 1] : firstControllerPort + step * i;
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(ports[i]);
            all.add(controllerPorts[i]);
        }
        if (all.stream().distinct().count() != all.size()) {
            throw new IllegalArgumentException("the cluster's ports clash: " + all);
        }
        for (int i = 0; i < count; i++) {
            Ports.requireFree(ports[i], KafkaBroker.PORT_OPTION);
            Ports.requireFree(controllerPorts[i], KafkaBroker.CONTROLLER_PORT_OPTION);
        }
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < count; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append('@').append(Ports.HOST).append(':').append(controllerPorts[i]);
        }
        int replication = replicationFactor(count);
        int minIsr = minInsyncReplicas(replication);
        String clusterId = existingClusterId(dir, count);
        if (clusterId == null) {
            clusterId = KafkaBroker.newClusterId();
        }
        List<KafkaBroker> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new KafkaBroker(dir.resolve("node-" + (i + 1)), ports[i], controllerPorts[i], i + 1,
                    voters.toString(), clusterId, replication, minIsr, "-Xmx384m"));
        }
        KafkaCluster cluster = new KafkaCluster(dir, nodes);
        List<CompletableFuture<Void>> started = nodes.stream()
                .map(n -> CompletableFuture.runAsync(n::launch)).toList();
        try {
            for (CompletableFuture<Void> f : started) {
                f.join();
            }
        } catch (CompletionException e) {
            for (CompletableFuture<Void> f : started) {
                f.exceptionally(t -> null).join();
            }
            cluster.close();
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
        return cluster;
    }

    /** min(3, nodes): what the cluster's topics are replicated to. */
    public static int replicationFactor(int nodes) {
        return Math.min(3, nodes);
    }

    /** 2 when topics have 3 replicas (one node may be down), else 1. */
    public static int minInsyncReplicas(int replicationFactor) {
        return replicationFactor >= 3 ? 2 : 1;
    }

    /** The cluster id some node's storage was formatted with, or null when none is formatted yet. */
    private static String existingClusterId(Path dir, int count) {
        for (int i = 1; i <= count; i++) {
            Path meta = dir.resolve("node-" + i).resolve("kafka").resolve("meta.properties");
            if (Files.isRegularFile(meta)) {
                Properties p = new Properties();
                try (var in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + meta, e);
                }
                String id = p.getProperty("cluster.id");
                if (id != null && !id.isBlank()) {
                    return id.trim();
                }
            }
        }
        return null;
    }

    /** Every node's {@code 127.0.0.1:<port>}, comma-separated (also the stopped ones: clients skip them). */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    /** Node {@code index} (0-based; its {@code node.id} is index + 1). */
    public KafkaBroker node(int index) {
        return nodes.get(index);
    }

    public List<KafkaBroker> nodes() {
        return nodes;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The processes of the nodes that run. */
    public List<ManagedProcess> processes() {
        List<ManagedProcess> out = new ArrayList<>();
        for (KafkaBroker node : nodes) {
            ManagedProcess p = node.process();
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Graceful stop of one node (controlled shutdown: its partitions' leadership moves first). */
    public void stop(int index) {
        node(index).stop();
    }

    /** {@code kill -9} of one node. */
    public void kill(int index) {
        node(index).kill();
    }

    /** Starts a stopped or killed node again on its ports and data dir; waits until it is ready. */
    public void startAgain(int index) {
        node(index).startAgain();
    }

    /**
     * Stops every node, side by side: one after another, the last ones would wait for a quorum that is
     * already gone.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopped = nodes.stream().map(n -> CompletableFuture.runAsync(n::stop)).toList();
        for (CompletableFuture<Void> f : stopped) {
            f.exceptionally(t -> null).join();
        }
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + bootstrapServers() + ", " + dataDir + "]";
    }
}
