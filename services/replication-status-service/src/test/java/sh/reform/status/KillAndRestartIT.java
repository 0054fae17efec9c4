package sh.reform.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static sh.reform.status.Reported.adoption;
import static sh.reform.status.Reported.at;
import static sh.reform.status.Reported.outcome;
import static sh.reform.status.Reported.rollout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import sh.reform.local.infra.ManagedProcess;
import sh.reform.local.infra.Ports;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.status.fold.CatalogView;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.StatusFold;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6, done-when 2: the packaged service is killed with {@code kill -9} in the middle of a stream of
 * reports and started again on the same state dir; afterwards the status topic and the query API equal a
 * from-scratch fold of everything reported: nothing counted twice, nothing missing.
 *
 * <p>It runs the jar that {@code package} builds, so it is a failsafe test ({@code integration-test}
 * phase, after {@code package}), in its own JVM with its own broker and registry.
 */
class KillAndRestartIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final StatusFold FOLD = new StatusFold(CatalogView.of(RealInfraFixture.SEED_CASES), HealthRules.defaults());
    static final List<String> CASES = List.of("SH-2023-07", "SH-2023-08", "SH-2023-09", "SH-2023-11");
    static final List<String> DISTRICTS = List.of("310101", "310104", "310105", "310106", "310107");
    /** Due dates of the assignments, days from today: overdue, due soon (1 and 7), not yet due. */
    static final List<Integer> DUE_IN_DAYS = List.of(-1, 1, 5, 30);

    @Test
    void afterAKill9InTheMiddleOfAStreamOfReportsTheStatusEqualsAFromScratchFold() throws Exception {
        String jar = System.getProperty("reform.status.jar");
        Assumptions.assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the packaged jar is built by `package`");
        RealInfraFixture.useBootstrapServers(null); // the single test broker, whatever an earlier test in this JVM used
        RealInfraFixture.prepare();
        Path work = Files.createTempDirectory("replication-status-kill-");
        int port = Ports.freePort();

        List<SpecificRecord> reports = reports();
        long t0 = System.nanoTime();
        ManagedProcess service = start(jar, work, port);
        System.out.println("started and RUNNING in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        // The first half is sent, the service is killed while folding it, the second half is sent while it
        // is down and restarting.
        int half = reports.size() / 2;
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch killed = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < reports.size(); i++) {
                    if (i == half) {
                        killed.await();
                    }
                    RealInfraFixture.report(reports.get(i));
                    sent.incrementAndGet();
                    pause(5);
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "reports");
        producer.start();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> failed.get() != null || applied(port) >= 40);
        assertThat(failed.get()).as("reporting failed").isNull();
        service.kill();
        long appliedAtKill = lastApplied;
        int sentAtKill = sent.get();
        killed.countDown();
        System.out.println("kill -9 after " + sentAtKill + " of " + reports.size() + " reports sent, " + appliedAtKill
                + " applied by the service");
        assertThat(appliedAtKill).as("killed in the middle of its work").isLessThan(reports.size());
        long restartAt = System.nanoTime();
        service = start(jar, work, port);
        System.out.println("restarted and RUNNING in " + (System.nanoTime() - restartAt) / 1_000_000 + " ms");
        producer.join(Duration.ofSeconds(120).toMillis());
        assertThat(failed.get()).as("reporting failed").isNull();
        assertThat(sent.get()).isEqualTo(reports.size());

        Map<String, ReplicationStatus> expected = fromScratch(reports);
        ManagedProcess running = service;
        long convergeAt = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<String, ReplicationStatus> published = latestStatuses();
                assertThat(published.keySet()).isEqualTo(expected.keySet());
                expected.forEach((key, status) -> assertThat(withoutHealth(published.get(key)))
                        .as("status topic, %s", key).isEqualTo(withoutHealth(status)));
            });
            System.out.println("status topic equal to the fold " + (System.nanoTime() - convergeAt) / 1_000_000
                    + " ms after the last report");
            for (String key : expected.keySet()) {
                String[] cell = key.split("\\|");
                JsonNode view = get(port, "/api/v1/status/cells/" + cell[0] + "/" + cell[1]);
                assertThat(view.path("eventCount").asLong()).as(key).isEqualTo(expected.get(key).getEventCount());
                assertThat(view.path("stage").asString()).as(key).isEqualTo(expected.get(key).getOverallStage().name());
            }
            // Issue 16, done-when 2: every reminder due when the cells were assigned is on the notifications topic
            // exactly once — the kill neither lost one (its transaction aborted, the restart produced it) nor
            // repeated one (the restart's sweep finds it marked in the restored state).
            Map<String, Map<String, Long>> byCell = notificationsByCell();
            for (String c : CASES) {
                for (int i = 0; i < DISTRICTS.size(); i++) {
                    String key = Topic.cellKey(c, DISTRICTS.get(i));
                    int dueIn = DUE_IN_DAYS.get(i % DUE_IN_DAYS.size());
                    Map<String, Long> kinds = byCell.getOrDefault(key, Map.of());
                    assertThat(kinds.getOrDefault("ASSIGNED", 0L)).as("ASSIGNED of %s", key).isEqualTo(1);
                    assertThat(kinds.getOrDefault("OVERDUE", 0L)).as("OVERDUE of %s", key).isEqualTo(dueIn < 0 ? 1 : 0);
                    assertThat(kinds.getOrDefault("DUE_SOON", 0L)).as("DUE_SOON of %s", key).isEqualTo(dueIn >= 0 && dueIn <= 7 ? 1 : 0);
                }
            }
            System.out.println("notifications after the kill: " + byCell.values().stream().mapToLong(m -> m.values().stream()
                    .mapToLong(Long::longValue).sum()).sum() + ", each id once");
        } finally {
            running.stop();
            if (!Boolean.getBoolean("reform.keep")) {
                deleteQuietly(work);
            }
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir; the OS cleans up what remains
        }
    }

    /**
     * First each cell's assignment (issue 16), due on a date that puts it past a reminder threshold at once —
     * overdue, due tomorrow, due in 5 days — or not yet (in 30 days); then 4 cases × 5 districts of reports:
     * adoption, rollouts of three measures, outcomes; every tenth report sent twice.
     */
    static List<SpecificRecord> reports() {
        List<SpecificRecord> out = new ArrayList<>();
        java.time.LocalDate today = java.time.LocalDate.now(HealthRules.SHANGHAI);
        for (String c : CASES) {
            for (int i = 0; i < DISTRICTS.size(); i++) {
                out.add(Reported.supervision("kill-assign-" + c + "-" + DISTRICTS.get(i), c, DISTRICTS.get(i), at("2026-09-30"),
                        sh.reform.schema.supervision.Assigned.newBuilder().setDueDate(today.plusDays(DUE_IN_DAYS.get(i % DUE_IN_DAYS.size())))
                                .build()));
            }
        }
        int n = 0;
        for (int step = 0; step < 8; step++) {
            for (String c : CASES) {
                for (String d : DISTRICTS) {
                    String id = "kill-" + c + "-" + d + "-" + step;
                    Instant when = at("2026-10-01").plus(Duration.ofHours(step));
                    SpecificRecord r = switch (step) {
                        case 0 -> adoption(id, c, d, when, AdoptionDecision.ADOPTED, null);
                        case 1, 2, 3 -> rollout(id, c, d, when, c + "-M" + step, RolloutStage.PILOT);
                        case 4, 5 -> rollout(id, c, d, when, c + "-M" + (step - 3), RolloutStage.LIVE);
                        default -> outcome(id, c, d, when, c + "-K1", "2026-0" + step, step);
                    };
                    out.add(r);
                    if (++n % 10 == 0) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    static Map<String, ReplicationStatus> fromScratch(List<SpecificRecord> reports) {
        Map<String, List<SpecificRecord>> byCell = new LinkedHashMap<>();
        for (SpecificRecord r : reports) {
            var env = sh.reform.status.fold.CellState.envelopeOf(r);
            byCell.computeIfAbsent(Topic.cellKey(env.getCaseId(), env.getDistrictCode()), k -> new ArrayList<>()).add(r);
        }
        Map<String, ReplicationStatus> out = new HashMap<>();
        byCell.forEach((key, events) -> {
            String[] cell = key.split("\\|");
            out.put(key, FOLD.foldAll(cell[0], cell[1], events, Instant.now()).toStatus());
        });
        return out;
    }

    /**
     * Every committed notification, counted per cell and kind; fails if an id appears twice. Read after the status
     * topic equals the fold: the notifications were committed in the same transactions as those statuses.
     */
    static Map<String, Map<String, Long>> notificationsByCell() {
        Map<String, Map<String, Long>> out = new HashMap<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (ConsumerRecord<String, sh.reform.schema.supervision.Notification> r : CommittedRecords.of(Topics.NOTIFICATIONS)) {
            assertThat(ids.add(r.value().getNotificationId())).as("notification %s once", r.value().getNotificationId()).isTrue();
            out.computeIfAbsent(r.key(), k -> new HashMap<>()).merge(r.value().getKind().name(), 1L, Long::sum);
        }
        return out;
    }

    /** The last committed status per cell on the compacted status topic. */
    static Map<String, ReplicationStatus> latestStatuses() {
        Map<String, ReplicationStatus> latest = new HashMap<>();
        CommittedRecords.of(Topics.REPLICATION_STATUS).forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    /** The status without what depends on the wall clock of its evaluation. */
    static ByteBuffer withoutHealth(ReplicationStatus s) {
        ReplicationStatus copy = ReplicationStatus.newBuilder(s).setHealth(Health.UNKNOWN)
                .setHealthRules(new ArrayList<>()).setEvaluatedAt(Instant.EPOCH).build();
        try {
            return copy.toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ManagedProcess start(String jar, Path work, int port) {
        List<String> command = ManagedProcess.javaCommand(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar,
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + RealInfraFixture.bootstrap(),
                "--spring.kafka.properties.schema.registry.url=" + RealInfraFixture.registry(),
                "--reform.status.state-dir=" + work.resolve("state"),
                // A killed member's partitions are reassigned after its session times out: keep that short here.
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=1500"));
        ManagedProcess p = ManagedProcess.start("replication-status", command, Map.of(), work, work.resolve("service.log"));
        p.awaitReady(Duration.ofSeconds(120), () -> ManagedProcess.httpOk("http://127.0.0.1:" + port + "/actuator/health"));
        return p;
    }

    static volatile long lastApplied;

    /** Events the service applied so far (its own counter; cheap to ask while it works). */
    static long applied(int port) {
        try {
            JsonNode m = get(port, "/actuator/metrics/reform.status.records?tag=outcome:applied");
            lastApplied = (long) m.path("measurements").get(0).path("value").asDouble();
        } catch (RuntimeException | AssertionError e) {
            // not up yet
        }
        return lastApplied;
    }

    static JsonNode get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
