package sh.reform.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import sh.reform.catalog.Jurisdiction;
import sh.reform.catalog.SeedCatalog;
import sh.reform.local.infra.KafkaCluster;
import sh.reform.local.infra.ManagedProcess;
import sh.reform.local.infra.Ports;
import sh.reform.local.infra.RealInfra;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.events.RolloutStage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10, done-when 1 and 3, on a 3-node Kafka cluster with 3 instances of the packaged service
 * ({@code num.standby.replicas} 1):
 * <ol>
 *   <li>one instance folds a stream of reports over the whole 2023 matrix (20 cases × 16 districts) and its
 *       answer for every cell is kept; two more instances join; then every instance is asked for every cell
 *       (and the matrix) and answers exactly the same;</li>
 *   <li>one instance is killed with {@code kill -9}; the time until the others answer for all its keys is
 *       measured and printed; meanwhile every answer is either the same as before or 503 with Retry-After,
 *       never another answer;</li>
 *   <li>it is started again on its state dir, and every instance answers every cell as before;</li>
 *   <li>the Server-Sent Events stream of every instance carries a change folded by any of them.</li>
 * </ol>
 */
class StatusClusterIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    static final String BATCH = "SH-2023";
    static final Duration BOUND = Duration.ofSeconds(60);

    record Instance(int port, Path stateDir, ManagedProcess[] process) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    @Test
    void everyInstanceAnswersEveryCellAsOneDidAndALostInstanceIsCoveredWithinSeconds() throws Exception {
        String jar = System.getProperty("reform.status.jar");
        Assumptions.assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the packaged jar is built by `package`");
        KafkaCluster cluster = RealInfra.cluster();
        RealInfraFixture.useBootstrapServers(cluster.bootstrapServers());
        RealInfraFixture.prepare();
        Path work = Files.createTempDirectory("replication-status-cluster-");
        List<String> cells = matrixCells();
        assertThat(cells).hasSize(20 * 16);

        List<SpecificRecord> reports = reports();
        RealInfraFixture.reportAll(reports);
        System.out.println(reports.size() + " reports on the 3-node cluster");

        int[] ports = Ports.freePorts(3);
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            instances.add(new Instance(ports[i], work.resolve("instance-" + i), new ManagedProcess[1]));
        }
        try {
            // 1. One instance alone folds everything: its answers are the reference.
            Instance first = instances.get(0);
            long t0 = System.nanoTime();
            start(jar, first, work);
            waitUntil(Duration.ofSeconds(120), "instance 0 folded every report", () -> applied(first) >= reports.size());
            Map<String, String> reference = new LinkedHashMap<>();
            waitUntil(BOUND, "instance 0 answers every cell", () -> {
                for (String cell : cells) {
                    Answer a = get(first, "/api/v1/status/cells/" + cell);
                    if (a.status != 200) {
                        return false;
                    }
                    reference.put(cell, a.body);
                }
                return true;
            });
            String referenceMatrix = waitFor200(first, "/api/v1/status/matrix?batch=" + BATCH).body;
            System.out.printf("one instance: folded %d reports and answered %d cells in %.1f s%n",
                    reports.size(), cells.size(), (System.nanoTime() - t0) / 1e9);

            // 2. Scale out to three; every instance answers every cell as the single one did.
            long t1 = System.nanoTime();
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> start(jar, instances.get(1), work));
            CompletableFuture<Void> c = CompletableFuture.runAsync(() -> start(jar, instances.get(2), work));
            b.join();
            c.join();
            waitUntil(Duration.ofSeconds(90), "all three instances answer every cell from active copies",
                    () -> instances.stream().allMatch(i -> answersAll(i, cells, reference, false)));
            System.out.printf("scaled out to 3 instances; all answer every cell in %.1f s%n", (System.nanoTime() - t1) / 1e9);
            for (Instance i : instances) {
                for (String cell : cells) {
                    Answer a = get(i, "/api/v1/status/cells/" + cell);
                    assertThat(a.status).as("%s on port %d", cell, i.port).isEqualTo(200);
                    assertThat(a.body).as("%s on port %d", cell, i.port).isEqualTo(reference.get(cell));
                }
                assertThat(waitFor200(i, "/api/v1/status/matrix?batch=" + BATCH).body).as("matrix on port %d", i.port)
                        .isEqualTo(referenceMatrix);
            }
            System.out.println("every instance answered every one of the " + cells.size() + " cells and the matrix"
                    + " exactly as the single instance did");

            // 3. kill -9 one instance; the others answer its keys again within seconds; never another answer.
            Instance victim = instances.get(1);
            List<Instance> survivors = List.of(instances.get(0), instances.get(2));
            List<String> wrong = new CopyOnWriteArrayList<>();
            victim.process[0].kill();
            long killedAt = System.nanoTime();
            double matrixBack = -1;
            double everyCellBack = -1;
            double activeBack = -1;
            int unavailable = 0;
            int standbyAnswers = 0;
            // Per survivor and cell: when it was last answered 200 after a refusal (0: never refused).
            Map<String, Double> backAt = new LinkedHashMap<>();
            Map<String, Boolean> okNow = new LinkedHashMap<>();
            long deadline = killedAt + BOUND.toNanos();
            while (System.nanoTime() < deadline && (everyCellBack < 0 || activeBack < 0)) {
                boolean matrixOk = true;
                for (Instance s : survivors) {
                    Answer m = get(s, "/api/v1/status/matrix?batch=" + BATCH);
                    if (m.status == 200) {
                        if (!m.body.equals(referenceMatrix)) {
                            wrong.add("matrix on port " + s.port);
                        }
                    } else {
                        matrixOk = false;
                        checkUnavailable(m, wrong);
                    }
                }
                if (matrixOk && matrixBack < 0) {
                    matrixBack = (System.nanoTime() - killedAt) / 1e9;
                }
                boolean allActive = true;
                for (Instance s : survivors) {
                    for (String cell : cells) {
                        String pair = s.port + " " + cell;
                        Answer a = get(s, "/api/v1/status/cells/" + cell);
                        double at = (System.nanoTime() - killedAt) / 1e9;
                        if (a.status == 200) {
                            if (!a.body.equals(reference.get(cell))) {
                                wrong.add(cell + " on port " + s.port + ": " + a.body);
                            }
                            if (a.standby) {
                                standbyAnswers++;
                                allActive = false;
                            }
                            if (Boolean.FALSE.equals(okNow.get(pair))) {
                                backAt.put(pair, at);
                            }
                            okNow.put(pair, true);
                        } else {
                            allActive = false;
                            unavailable++;
                            checkUnavailable(a, wrong);
                            okNow.put(pair, false);
                        }
                    }
                }
                double now = (System.nanoTime() - killedAt) / 1e9;
                if (everyCellBack < 0 && okNow.size() == cells.size() * survivors.size() && !okNow.containsValue(false)) {
                    everyCellBack = backAt.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                }
                if (allActive && activeBack < 0) {
                    activeBack = now;
                }
            }
            System.out.printf("kill -9 of the instance on port %d: the survivors answered the whole matrix %.1f s after the"
                            + " kill; every cell of the matrix was answered again through each survivor %.1f s after the kill"
                            + " (the last cell to come back; sweeps of %d requests); every cell from an active copy again"
                            + " by %.1f s; %d answers were 503 with Retry-After, %d came from a standby copy"
                            + " (marked Status-Source: standby)%n",
                    victim.port, matrixBack, everyCellBack, cells.size() * 2, activeBack, unavailable, standbyAnswers);
            assertThat(wrong).as("answers that differ from the reference").isEmpty();
            assertThat(everyCellBack).as("seconds until the survivors answer every cell").isBetween(0.0, (double) BOUND.toSeconds());

            // 4. It comes back on its state dir: every instance answers every cell as before.
            long t2 = System.nanoTime();
            start(jar, victim, work);
            waitUntil(Duration.ofSeconds(90), "all three instances answer every cell again",
                    () -> instances.stream().allMatch(i -> answersAll(i, cells, reference, false)));
            for (Instance i : instances) {
                for (String cell : cells) {
                    assertThat(get(i, "/api/v1/status/cells/" + cell).body).as("%s on port %d", cell, i.port)
                            .isEqualTo(reference.get(cell));
                }
            }
            System.out.printf("the killed instance is back; all three answer every cell unchanged %.1f s after its start%n",
                    (System.nanoTime() - t2) / 1e9);

            // 5. The change stream works on every instance, whichever instance folds the change.
            List<List<String>> received = new ArrayList<>();
            List<InputStream> streams = new ArrayList<>();
            for (Instance i : instances) {
                List<String> lines = new CopyOnWriteArrayList<>();
                received.add(lines);
                InputStream in = HTTP.send(HttpRequest.newBuilder(URI.create(i.url("/api/v1/status/stream")))
                        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream()).body();
                streams.add(in);
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }, "sse-" + i.port);
                reader.setDaemon(true);
                reader.start();
            }
            waitUntil(Duration.ofSeconds(20), "every stream connected", () -> received.stream().allMatch(l -> !l.isEmpty()));
            CatalogCase someCase = RealInfraFixture.SEED_CASES.get(4);
            String district = districts().stream().filter(d -> !d.equals(someCase.getOriginDistrict())).findFirst().orElseThrow();
            RealInfraFixture.report(Reported.rollout("cluster-sse-" + System.nanoTime(), someCase.getCaseId(), district,
                    Instant.now().minusSeconds(60), someCase.getMeasures().get(0).getMeasureId(), RolloutStage.LIVE));
            waitUntil(Duration.ofSeconds(30), "every instance's stream carries the change", () -> received.stream().allMatch(
                    l -> l.stream().anyMatch(x -> x.startsWith("data:") && x.contains(someCase.getCaseId()) && x.contains(district))));
            System.out.println("the status change reached the event stream of all three instances");
            for (InputStream in : streams) {
                in.close();
            }
        } finally {
            for (Instance i : instances) {
                if (i.process[0] != null) {
                    i.process[0].stop(Duration.ofSeconds(20));
                }
            }
            RealInfraFixture.useBootstrapServers(null);
            if (!Boolean.getBoolean("reform.keep")) {
                KillAndRestartIT.deleteQuietly(work);
            }
        }
    }

    static void checkUnavailable(Answer a, List<String> wrong) {
        if (a.status == -1) {
            return; // the instance itself is unreachable (not asked here: only survivors are)
        }
        if (a.status != 503 || a.retryAfter == null) {
            wrong.add("answered " + a.status + " (Retry-After " + a.retryAfter + "): " + a.body);
        }
    }

    static boolean answersAll(Instance i, List<String> cells, Map<String, String> reference, boolean standbyOk) {
        for (String cell : cells) {
            Answer a = get(i, "/api/v1/status/cells/" + cell);
            if (a.status != 200 || (!standbyOk && a.standby) || !a.body.equals(reference.get(cell))) {
                return false;
            }
        }
        return true;
    }

    static List<String> districts() {
        return SeedCatalog.load().districts().stream().map(Jurisdiction::code).toList();
    }

    /** {@code caseId/districtCode} of every cell of the 2023 matrix. */
    static List<String> matrixCells() {
        List<String> out = new ArrayList<>();
        for (CatalogCase c : RealInfraFixture.SEED_CASES) {
            if (c.getBatchId().equals(BATCH)) {
                for (String d : districts()) {
                    out.add(c.getCaseId() + "/" + d);
                }
            }
        }
        return out;
    }

    /**
     * Reports over the 2023 matrix: every district but the origin decides on every case (adopted, intends,
     * paused in turn); adopters roll out the case's measures (pilot, then live for some) and report an
     * outcome of its first metric; every tenth report is sent twice.
     */
    static List<SpecificRecord> reports() {
        List<SpecificRecord> out = new ArrayList<>();
        Instant base = Reported.at("2026-09-01");
        int n = 0;
        for (CatalogCase c : RealInfraFixture.SEED_CASES) {
            if (!c.getBatchId().equals(BATCH)) {
                continue;
            }
            int d = 0;
            for (String district : districts()) {
                d++;
                if (district.equals(c.getOriginDistrict())) {
                    continue;
                }
                String prefix = "cluster-" + c.getCaseId() + "-" + district + "-";
                int kind = (c.getRank() + d) % 4;
                AdoptionDecision decision = kind == 3 ? AdoptionDecision.PAUSED : kind == 2 ? AdoptionDecision.INTENDS : AdoptionDecision.ADOPTED;
                List<SpecificRecord> cell = new ArrayList<>();
                cell.add(Reported.adoption(prefix + "a", c.getCaseId(), district, base.plus(Duration.ofDays(d)), decision, null));
                if (decision == AdoptionDecision.ADOPTED) {
                    for (int m = 0; m < Math.min(2, c.getMeasures().size()); m++) {
                        String measure = c.getMeasures().get(m).getMeasureId();
                        cell.add(Reported.rollout(prefix + "m" + m, c.getCaseId(), district, base.plus(Duration.ofDays(d + 10 + m)),
                                measure, (d + m) % 2 == 0 ? RolloutStage.LIVE : RolloutStage.PILOT));
                    }
                    if (!c.getMetrics().isEmpty()) {
                        CatalogMetric metric = c.getMetrics().get(0);
                        OutcomeReported o = Reported.outcome(prefix + "o", c.getCaseId(), district, base.plus(Duration.ofDays(d + 20)),
                                metric.getMetricId(), "2026-10", 10 + d);
                        o.setUnit(metric.getUnit());
                        cell.add(o);
                    }
                }
                for (SpecificRecord r : cell) {
                    out.add(r);
                    if (++n % 10 == 0) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    static void start(String jar, Instance instance, Path work) {
        List<String> command = ManagedProcess.javaCommand(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1", "-jar", jar,
                "--server.port=" + instance.port,
                "--spring.kafka.bootstrap-servers=" + RealInfraFixture.bootstrap(),
                "--spring.kafka.properties.schema.registry.url=" + RealInfraFixture.registry(),
                "--reform.status.state-dir=" + instance.stateDir,
                // Cluster mode: one standby copy of every partition; a lost member is noticed within 6 s.
                "--spring.kafka.streams.properties.num.standby.replicas=1",
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=1500"));
        ManagedProcess p = ManagedProcess.start("replication-status-" + instance.port, command, Map.of(), work,
                work.resolve("service-" + instance.port + ".log"));
        p.awaitReady(Duration.ofSeconds(150), () -> ManagedProcess.httpOk(instance.url("/actuator/health")));
        instance.process[0] = p;
    }

    /** Event records the instance processed so far, whatever the outcome (applied, duplicate, dead-lettered). */
    static long applied(Instance i) {
        Answer a = get(i, "/actuator/metrics/reform.status.records");
        if (a.status != 200) {
            return 0;
        }
        return (long) JSON.readTree(a.body).path("measurements").get(0).path("value").asDouble();
    }

    record Answer(int status, String body, String retryAfter, boolean standby) {
    }

    static Answer get(Instance i, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(i.url(path))).timeout(Duration.ofSeconds(15))
                    .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().firstValue("Status-Source").map("standby"::equals).orElse(false));
        } catch (IOException e) {
            return new Answer(-1, e.toString(), null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Answer waitFor200(Instance i, String path) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            Answer a = get(i, path);
            if (a.status == 200 || System.nanoTime() > deadline) {
                assertThat(a.status).as("GET %s on port %d: %s", path, i.port, a.body).isEqualTo(200);
                return a;
            }
            Thread.sleep(200);
        }
    }

    interface Condition {
        boolean met() throws Exception;
    }

    static void waitUntil(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(250);
        }
    }
}
