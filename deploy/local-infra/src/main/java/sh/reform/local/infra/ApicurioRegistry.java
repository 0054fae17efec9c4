package sh.reform.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Apicurio Registry (the {@code io.apicurio:apicurio-registry-app:…:all} tar.gz from the local Maven
 * repository) as a child JVM on 127.0.0.1, with its Confluent-compatible API at {@code /apis/ccompat/v7}.
 * Storage is an H2 file database {@code <dataDir>/registry.mv.db}, so schemas and their ids survive
 * a restart (and a kill: committed writes go to disk at once).
 */
public final class ApicurioRegistry implements AutoCloseable {

    /** 90 s, or {@code -Dreform.local.infra-ready-timeout-seconds=N} on a loaded machine. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("reform.local.infra-ready-timeout-seconds", 90));
    public static final String PORT_OPTION = "--registry-port";
    static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private final Path dataDir;
    private final int port;
    private ManagedProcess process;

    private ApicurioRegistry(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Unpacks the distribution once into the cache dir, starts it and waits (up to 90 s) until
     * {@code GET /apis/ccompat/v7/subjects} answers 200. Port 0 picks a free port.
     *
     * @throws PortInUseException if {@code port} is taken
     * @throws IllegalStateException if it does not come up, with the end of {@code <dataDir>/logs/registry.log}
     */
    public static ApicurioRegistry start(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath().normalize();
        int chosen = port == 0 ? Ports.freePort() : port;
        ApicurioRegistry registry = new ApicurioRegistry(dir, chosen);
        registry.launch();
        return registry;
    }

    /** {@code http://127.0.0.1:<port>/apis/ccompat/v7}: what Confluent clients call {@code schema.registry.url}. */
    public String confluentApiUrl() {
        return "http://" + Ports.HOST + ":" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The child process while it runs (pid, log file), else null. */
    public synchronized ManagedProcess process() {
        return process;
    }

    /** Graceful: SIGTERM, up to 20 s, then forced. */
    public synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    /** Like {@code kill -9}, for fault tests. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Stops it and starts it again on the same port and data dir; returns this. */
    public synchronized ApicurioRegistry restart() {
        stop();
        launch();
        return this;
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() {
        Ports.requireFree(port, PORT_OPTION);
        Path runner = runnerJar(distribution());
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
        Map<String, String> env = Map.of(
                "QUARKUS_HTTP_HOST", Ports.HOST,
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                // The %prod profile of Apicurio 2.6 uses H2 (in memory by default) for its SQL storage;
                // WRITE_DELAY=0 writes each commit to the file at once, so a kill loses nothing committed.
                "REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + dataDir.resolve("registry") + ";WRITE_DELAY=0");
        List<String> command = ManagedProcess.javaCommand(List.of(
                "-Xmx384m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-jar", runner.toString()));
        ManagedProcess started = ManagedProcess.start("apicurio-registry", command, env, dataDir,
                dataDir.resolve("logs").resolve("registry.log"));
        String subjects = confluentApiUrl() + "/subjects";
        started.awaitReady(READY_TIMEOUT, () -> ManagedProcess.httpOk(subjects));
        process = started;
    }

    private static Path runnerJar(Path home) {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The unpacked distribution: {@code <cache dir>/apicurio-<version>}, made once from the archive
     * ({@code -Dreform.apicurio.archive}, else the path written at build time).
     */
    static synchronized Path distribution() {
        String configured = System.getProperty("reform.apicurio.archive");
        Path archive = Path.of(configured != null && !configured.isBlank()
                ? configured : LocalFiles.buildResource("apicurio.archive"));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("Apicurio archive " + archive + " is missing: run"
                    + " mvn -pl deploy/local-infra install (Maven fetches it into the local repository)");
        }
        String fileName = archive.getFileName().toString();
        String version = fileName.replaceFirst("^apicurio-registry-app-", "").replaceFirst("-all\\.tar\\.gz$", "");
        Path cache = LocalFiles.cacheDir();
        Path home = cache.resolve("apicurio-" + version);
        Path complete = home.resolve(".complete");
        if (Files.isRegularFile(complete)) {
            return home;
        }
        // One unpacker at a time across JVMs (parallel builds share the cache).
        try (FileChannel lockFile = FileChannel.open(cache.resolve("apicurio-" + version + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (!Files.isRegularFile(complete)) {
                deleteTree(home);
                TarGz.extract(archive, home);
                Files.writeString(complete, archive + System.lineSeparator());
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + " into " + home, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public String toString() {
        return "ApicurioRegistry[" + confluentApiUrl() + ", " + dataDir + "]";
    }
}
