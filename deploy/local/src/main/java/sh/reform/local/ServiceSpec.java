package sh.reform.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One child JVM of the local platform: how to start it and how to know it is ready. Arguments may use
 * the placeholders {@code {kafka}} (bootstrap servers), {@code {registry}} (the Confluent-compatible
 * schema registry URL), {@code {port}}, {@code {dataDir}}, {@code {repoRoot}} and {@code {name}}.
 * Services start in list order after Kafka and the registry, each once the previous is ready, and stop
 * in reverse order.
 */
public final class ServiceSpec {

    /** 240 s, or {@code -Dreform.local.ready-timeout-seconds=N} (a loaded machine: the chaos harness gives 900). */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(Long.getLong("reform.local.ready-timeout-seconds", 240));

    private final String name;
    private final int port;
    private final String readinessPath;
    private final Duration readyTimeout;
    private final String jar;
    private final List<String> javaArgs;

    private ServiceSpec(String name, int port, String readinessPath, Duration readyTimeout, String jar, List<String> javaArgs) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a service name is lower-case letters, digits and '-': " + name);
        }
        this.name = name;
        this.port = port;
        this.readinessPath = readinessPath.startsWith("/") ? readinessPath : "/" + readinessPath;
        this.readyTimeout = readyTimeout;
        this.jar = jar;
        this.javaArgs = List.copyOf(javaArgs);
    }

    /**
     * A Spring Boot fat jar (path relative to the repository root), ready when {@code /actuator/health}
     * answers 200: {@code java -Xmx256m -jar <jar> --server.port=<port>} plus the Kafka bootstrap servers,
     * the schema registry URL (Confluent's {@code schema.registry.url}, as a Kafka client property) and a
     * Kafka Streams state dir under the data dir.
     */
    public static ServiceSpec springBoot(String name, String jar, int port) {
        return new ServiceSpec(name, port, "/actuator/health", DEFAULT_READY_TIMEOUT, jar, List.of(
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar", "{repoRoot}/" + jar,
                "--server.port={port}",
                "--spring.kafka.bootstrap-servers={kafka}",
                "--spring.kafka.properties.schema.registry.url={registry}",
                "--spring.kafka.streams.state-dir={dataDir}/streams/{name}"));
    }

    /** Any JVM: {@code javaArgs} are what follows {@code java} (JVM options, then {@code -jar x.jar} or a main class). */
    public static ServiceSpec java(String name, int port, String readinessPath, List<String> javaArgs) {
        return new ServiceSpec(name, port, readinessPath, DEFAULT_READY_TIMEOUT, null, javaArgs);
    }

    /** The same service with more arguments at the end (e.g. {@code --spring.profiles.active=local}). */
    public ServiceSpec withArgs(String... more) {
        List<String> args = new ArrayList<>(javaArgs);
        Collections.addAll(args, more);
        return new ServiceSpec(name, port, readinessPath, readyTimeout, jar, args);
    }

    /**
     * Instance {@code index} (0-based) of this service in cluster mode: instance 0 is this one; instance i is
     * named {@code <name>-<i+1>} and listens on {@code port + 100*i} (8091, 8191, 8291, ...), so its
     * {@code {name}} placeholders (log file, Kafka Streams state dir) are its own.
     */
    public ServiceSpec instance(int index) {
        if (index == 0) {
            return this;
        }
        return new ServiceSpec(name + "-" + (index + 1), port == 0 ? 0 : port + INSTANCE_PORT_STEP * index, readinessPath,
                readyTimeout, jar, javaArgs);
    }

    /** Port distance between two instances of one service, and between two Kafka nodes. */
    public static final int INSTANCE_PORT_STEP = 100;

    public ServiceSpec withReadinessPath(String path) {
        return new ServiceSpec(name, port, path, readyTimeout, jar, javaArgs);
    }

    public ServiceSpec withReadyTimeout(Duration timeout) {
        return new ServiceSpec(name, port, readinessPath, timeout, jar, javaArgs);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Duration readyTimeout() {
        return readyTimeout;
    }

    /** The jar to run, relative to the repository root, or null when the arguments say what to run. */
    public String jar() {
        return jar;
    }

    public String readinessUrl() {
        return "http://127.0.0.1:" + port + readinessPath;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The arguments after {@code java}, placeholders filled in. */
    List<String> resolvedArgs(LocalPlatform.Endpoints endpoints) {
        Map<String, String> values = Map.of(
                "{kafka}", endpoints.kafkaBootstrapServers(),
                "{registry}", endpoints.schemaRegistryUrl(),
                "{port}", Integer.toString(port),
                "{dataDir}", endpoints.dataDir().toString(),
                "{repoRoot}", endpoints.repoRoot().toString(),
                "{name}", name);
        List<String> resolved = new ArrayList<>();
        for (String arg : javaArgs) {
            String value = arg;
            for (Map.Entry<String, String> entry : values.entrySet()) {
                value = value.replace(entry.getKey(), entry.getValue());
            }
            resolved.add(value);
        }
        return resolved;
    }

    Path jarPath(Path repoRoot) {
        return jar == null ? null : repoRoot.resolve(jar);
    }

    @Override
    public String toString() {
        return name + " (port " + port + ")";
    }
}
