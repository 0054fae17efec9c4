package sh.reform.dashboard.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import sh.reform.local.infra.ApicurioRegistry;
import sh.reform.local.infra.KafkaBroker;
import sh.reform.local.infra.ManagedProcess;
import sh.reform.local.infra.Ports;
import sh.reform.local.infra.RealInfra;

/**
 * The whole platform for the browser tests, from its real pieces: the broker and registry of this test
 * JVM ({@link RealInfra}) and the seven services as child processes from their built jars, each on a free
 * port and allowing CORS from any origin (the dashboard under test listens on a random port). Started
 * once per test JVM; the child processes end with it. Logs go to {@code target/platform-logs}.
 */
final class RunningPlatform {

    static final List<String> SERVICES = List.of("catalog-service", "case-adoption-service", "measure-rollout-service",
            "outcome-reporting-service", "replication-status-service", "supervision-service", "notification-service");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private static RunningPlatform running;

    final Map<String, String> urls;
    private final Map<String, ManagedProcess> processes;

    private RunningPlatform(Map<String, String> urls, Map<String, ManagedProcess> processes) {
        this.urls = Map.copyOf(urls);
        this.processes = Map.copyOf(processes);
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("reform.repo.root", "../..")).toAbsolutePath().normalize();
    }

    static Path jar(String service) {
        return repoRoot().resolve("services").resolve(service).resolve("target").resolve(service + ".jar");
    }

    /** The services whose jar is not built (empty when the platform can start). */
    static List<String> missingJars() {
        return SERVICES.stream().filter(s -> !Files.isRegularFile(jar(s))).toList();
    }

    static synchronized RunningPlatform start() {
        if (running != null) {
            return running;
        }
        long t0 = System.nanoTime();
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(RealInfra::broker);
        CompletableFuture<ApicurioRegistry> registry = CompletableFuture.supplyAsync(RealInfra::registry);
        String bootstrap = broker.join().bootstrapServers();
        String registryUrl = registry.join().confluentApiUrl();
        log("broker and registry ready after %d s", t0);

        Path work;
        try {
            work = Files.createTempDirectory("dashboard-platform-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path logs = Path.of("target", "platform-logs").toAbsolutePath();
        int[] ports = Ports.freePorts(SERVICES.size());
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, ManagedProcess> processes = new LinkedHashMap<>();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            String name = SERVICES.get(i);
            int port = ports[i];
            List<String> args = new ArrayList<>(List.of(
                    // Small and quick to start: the machine runs seven of them beside the tests.
                    "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dfile.encoding=UTF-8",
                    "-jar", jar(name).toString(),
                    "--server.port=" + port,
                    "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--spring.kafka.properties.schema.registry.url=" + registryUrl,
                    "--reform.cors-allowed-origins=*"));
            if (name.equals("replication-status-service")) {
                Path state = work.resolve("status-state");
                args.add("--reform.status.state-dir=" + state);
                args.add("--spring.kafka.streams.state-dir=" + state);
                args.add("--reform.status.retry-after=1s");
            }
            if (name.equals("notification-service")) {
                // The inbox only: no SMTP server runs beside the browser tests.
                Path state = work.resolve("notification-state");
                args.add("--reform.notifications.state-dir=" + state);
                args.add("--spring.kafka.streams.state-dir=" + state);
                args.add("--reform.notifications.mail.enabled=false");
                args.add("--management.health.mail.enabled=false"); // else health is DOWN without an SMTP server
            }
            ManagedProcess process = ManagedProcess.start(name, ManagedProcess.javaCommand(args), Map.of(),
                    work.resolve(name), logs.resolve(name + ".log"));
            String base = "http://127.0.0.1:" + port;
            urls.put(name, base);
            processes.put(name, process);
            ready.add(CompletableFuture.runAsync(() ->
                    process.awaitReady(Duration.ofSeconds(150), () -> ManagedProcess.httpOk(base + "/actuator/health"))));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        log("services healthy after %d s", t0);
        RunningPlatform platform = new RunningPlatform(urls, processes);
        // The status service answers the matrix once the catalog, published by the catalog service, reached it.
        platform.awaitOk(urls.get("replication-status-service") + "/api/v1/status/matrix?batch=SH-2023", Duration.ofSeconds(90));
        log("status matrix available after %d s", t0);
        running = platform;
        return platform;
    }

    /** Thread dumps of the services next to their logs, for a test that failed. */
    void dumpThreads() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        processes.forEach((name, process) -> {
            if (!process.isAlive() || !Files.isExecutable(jcmd)) {
                return;
            }
            Path out = process.logFile().resolveSibling(name + ".threads.txt");
            try {
                new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor();
            } catch (IOException e) {
                // a diagnostic only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    String url(String service) {
        return urls.get(service);
    }

    void awaitOk(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"cases\":[{")) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not answer 200 within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void log(String format, long t0) {
        System.out.printf("[dashboard-it] " + format + "%n", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
