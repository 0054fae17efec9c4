package sh.reform.local.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller) as a child JVM on
 * 127.0.0.1, from the {@code kafka_2.13} jars the build resolved. Everything lives in {@code dataDir}:
 * <pre>
 *   kafka/                   log.dirs (the cluster id is in kafka/meta.properties)
 *   config/server.properties config/kafka-log4j2.xml (rewritten at each start)
 *   logs/kafka.log           the broker's output
 * </pre>
 * Transactions work: the internal topics have replication factor 1 and min ISR 1.
 *
 * <p>The same class is one node of a {@link KafkaCluster}: then it has its own node id, every node's
 * controller in its quorum, the cluster's id, and the cluster's replication settings.
 */
public final class KafkaBroker implements AutoCloseable {

    /** 60 s, or {@code -Dreform.local.infra-ready-timeout-seconds=N} on a loaded machine. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("reform.local.infra-ready-timeout-seconds", 60));
    public static final String PORT_OPTION = "--kafka-port";
    public static final String CONTROLLER_PORT_OPTION = "--controller-port";
    static final String STARTED_MARKER = "Kafka Server started";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int nodeId;
    /** {@code controller.quorum.voters}: {@code id@host:port,...}. */
    private final String voters;
    /** The cluster id to format with when the storage is new; null: a new random one. */
    private final String clusterId;
    private final int replicationFactor;
    private final int minInsyncReplicas;
    private final String heap;
    private ManagedProcess process;

    private KafkaBroker(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, 1, "1@" + Ports.HOST + ":" + controllerPort, null, 1, 1, "-Xmx512m");
    }

    KafkaBroker(Path dataDir, int port, int controllerPort, int nodeId, String voters, String clusterId,
                int replicationFactor, int minInsyncReplicas, String heap) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.nodeId = nodeId;
        this.voters = voters;
        this.clusterId = clusterId;
        this.replicationFactor = replicationFactor;
        this.minInsyncReplicas = minInsyncReplicas;
        this.heap = heap;
    }

    /**
     * Formats the KRaft storage in {@code dataDir} if it is not formatted yet, starts {@code kafka.Kafka}
     * and waits (up to 60 s) until the broker logs "Kafka Server started" and accepts connections.
     * Port 0 picks a free port.
     *
     * @throws PortInUseException if a port is taken
     * @throws IllegalStateException if it does not come up, with the end of {@code <dataDir>/logs/kafka.log}
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("the broker and controller ports must differ: " + port);
        }
        int[] free = Ports.freePorts(2);
        int brokerPort = port == 0 ? (free[0] == controllerPort ? free[1] : free[0]) : port;
        int quorumPort = controllerPort == 0 ? (free[1] == brokerPort ? free[0] : free[1]) : controllerPort;
        KafkaBroker broker = new KafkaBroker(dataDir.toAbsolutePath().normalize(), brokerPort, quorumPort);
        broker.launch();
        return broker;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@code node.id}: 1 for a single broker, 1..N in a cluster. */
    public int nodeId() {
        return nodeId;
    }

    /** True while the child process runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts a stopped (or killed) broker again on the same ports and data dir; returns this. */
    public synchronized KafkaBroker startAgain() {
        if (process == null) {
            launch();
        }
        return this;
    }

    /** The child process while it runs (pid, log file), else null. */
    public synchronized ManagedProcess process() {
        return process;
    }

    /** Graceful: SIGTERM (the broker's controlled shutdown), up to 20 s, then forced. */
    public synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    /** Like {@code kill -9}, for fault tests: the next start recovers the logs. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Stops the broker and starts it again on the same ports and data dir; returns this. */
    public synchronized KafkaBroker restart() {
        stop();
        launch();
        return this;
    }

    @Override
    public void close() {
        stop();
    }

    synchronized void launch() {
        Ports.requireFree(port, PORT_OPTION);
        Ports.requireFree(controllerPort, CONTROLLER_PORT_OPTION);
        String classPath = classPath();
        Path config = dataDir.resolve("config");
        Path logDir = dataDir.resolve("kafka");
        Path logs = dataDir.resolve("logs");
        Path log = logs.resolve("kafka.log");
        Path serverProperties = config.resolve("server.properties");
        Path log4j = config.resolve("kafka-log4j2.xml");
        try {
            Files.createDirectories(logDir);
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
        LocalFiles.writeAtomically(serverProperties, serverProperties(logDir));
        LocalFiles.writeAtomically(log4j, LOG4J2_XML);
        List<String> common = List.of(
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-Dkafka.logs.dir=" + logs,
                "-cp", classPath);

        if (!Files.isRegularFile(logDir.resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(List.of("-Xmx256m"));
            format.addAll(common);
            format.addAll(List.of("kafka.tools.StorageTool", "format",
                    "--cluster-id", clusterId != null ? clusterId : newClusterId(), "--config", serverProperties.toString()));
            ManagedProcess formatter = ManagedProcess.start("kafka-storage-format", ManagedProcess.javaCommand(format),
                    Map.of(), dataDir, log);
            int exit = formatter.awaitExit(READY_TIMEOUT);
            if (exit != 0) {
                throw formatter.failure("formatting the KRaft storage in " + logDir + " failed with exit code " + exit
                        + " / 存储格式化失败");
            }
        }

        List<String> server = new ArrayList<>(List.of(
                heap,
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35",
                "-XX:+ExplicitGCInvokesConcurrent",
                "-XX:+ExitOnOutOfMemoryError"));
        server.addAll(common);
        server.addAll(List.of("kafka.Kafka", serverProperties.toString()));
        ManagedProcess started = ManagedProcess.start(processName(), ManagedProcess.javaCommand(server), Map.of(), dataDir, log);
        started.awaitReady(READY_TIMEOUT, () -> started.logContains(STARTED_MARKER) && Ports.accepts(port, 1000));
        process = started;
    }

    /** {@code kafka-broker} alone, {@code kafka-node-<id>} in a cluster. */
    public String processName() {
        return voters.contains(",") ? "kafka-node-" + nodeId : "kafka-broker";
    }

    private String serverProperties(Path logDir) {
        String host = Ports.HOST;
        return String.join(System.lineSeparator(),
                "# Written by reform-local-infra at each start; edits are overwritten.",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "listeners=PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + host + ":" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                // A static quorum: the voter's address lives in this file, not in the metadata log, so
                // the ports may differ from one start to the next.
                "controller.quorum.voters=" + voters,
                "log.dirs=" + logDir,
                "num.partitions=6",
                "default.replication.factor=" + replicationFactor,
                "min.insync.replicas=" + minInsyncReplicas,
                "offsets.topic.replication.factor=" + replicationFactor,
                "transaction.state.log.replication.factor=" + replicationFactor,
                "transaction.state.log.min.isr=" + minInsyncReplicas,
                "share.coordinator.state.topic.replication.factor=" + replicationFactor,
                "share.coordinator.state.topic.min.isr=" + minInsyncReplicas,
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0",
                // After a kill the restarted broker waits until its old registration's session expires
                // (9 s by default); on one machine a shorter session is safe and restarts faster.
                "broker.heartbeat.interval.ms=1000",
                "broker.session.timeout.ms=4000",
                "");
    }

    /** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-'. */
    static String newClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    /** The broker's class path: {@code -Dreform.kafka.classpath}, else the one written at build time. */
    static String classPath() {
        String configured = System.getProperty("reform.kafka.classpath");
        String classPath = configured != null && !configured.isBlank() ? configured : LocalFiles.buildResource("kafka.classpath");
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException("the Kafka broker's class path names " + entry + ", which is missing: run"
                        + " mvn -pl deploy/local-infra install (Maven fetches it into the local repository)");
            }
        }
        return classPath;
    }

    private static final String LOG4J2_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Written by reform-local-infra: the broker logs at INFO to stdout, which goes to logs/kafka.log. -->
            <Configuration status="WARN">
              <Appenders>
                <Console name="STDOUT" target="SYSTEM_OUT">
                  <PatternLayout pattern="[%d] %p %m (%c)%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="state.change.logger" level="WARN"/>
                <Logger name="kafka.request.logger" level="WARN"/>
                <Logger name="kafka.authorizer.logger" level="WARN"/>
                <Root level="INFO">
                  <AppenderRef ref="STDOUT"/>
                </Root>
              </Loggers>
            </Configuration>
            """;

    @Override
    public String toString() {
        return "KafkaBroker[node " + nodeId + ", " + bootstrapServers() + ", controller " + controllerPort + ", " + dataDir + "]";
    }
}
