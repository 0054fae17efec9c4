package sh.reform.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import sh.reform.local.infra.ManagedProcess;
import sh.reform.local.infra.Ports;
import sh.reform.schema.common.Coverage;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.ReportSource;
import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.shared.kafka.EventRecords;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.topics.Topics;

/**
 * Replay: fills the rollout topic with events, then starts a second status-service instance with a
 * new application id and empty state, and times how long it takes to fold every event on the three
 * topics (its committed offsets reach the end), beside ConsumerPerformance on the same topic.
 */
final class Replay {

    private Replay() {
    }

    private static final java.util.BitSet CELLS = new java.util.BitSet();

    /** When the first produced event occurred; the others follow within the same day (second {@code i % 86,400}). */
    static final Instant FIRST_OCCURRED_AT = Instant.parse("2026-10-01T02:00:00Z");

    /** Distinct cells the produced events fall in. */
    static synchronized int cellsTouched() {
        return CELLS.cardinality();
    }

    /** Produces {@code count} more rollout events (the {@code from}-th onwards) onto the rollout topic. */
    static long produce(String bootstrap, String registry, NationalSeeds seeds, long from, long count) {
        Random random = new Random(42 + from);
        String[] stages = {"PLANNED", "PILOT", "LIVE", "SCALED"};
        Reporter reporter = Reporter.newBuilder().setPrincipal("benchmark").setAgency("benchmark").setRole(ReporterRole.SYSTEM).build();
        Instant at = FIRST_OCCURRED_AT;
        Map<String, Object> props = new HashMap<>(ProducerDefaults.avroProducer(bootstrap, registry));
        props.put("batch.size", 262144);
        props.put("linger.ms", 20);
        long t0 = System.nanoTime();
        try (KafkaProducer<String, Object> p = new KafkaProducer<>(props)) {
            for (long i = from; i < from + count; i++) {
                int ci = random.nextInt(seeds.caseIds.size());
                int di = random.nextInt(seeds.districts.size());
                String caseId = seeds.caseIds.get(ci);
                String district = seeds.districts.get(di);
                synchronized (Replay.class) {
                    CELLS.set(ci * seeds.districts.size() + di);
                }
                EventEnvelope env = EventEnvelope.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(at.plusSeconds(i % 86_400)).setRecordedAt(at.plusSeconds(i % 86_400))
                        .setDistrictCode(district).setCaseId(caseId).setReporter(reporter).setSource(ReportSource.FILE_IMPORT).build();
                MeasureRolloutReported e = MeasureRolloutReported.newBuilder().setEnvelope(env)
                        .setMeasureId(caseId + "-M" + (1 + random.nextInt(3))).setStage(RolloutStage.valueOf(stages[random.nextInt(4)]))
                        .setCoverage(Coverage.newBuilder().setCovered(1 + random.nextInt(9)).setTotal(10).setUnit("街镇").build()).build();
                p.send(EventRecords.rollout("benchmark", e));
                if ((i - from) % 500_000 == 0 && i > from) {
                    System.out.printf("  produced %,d / %,d events (%.0f/s)%n", i - from, count, (i - from) / ((System.nanoTime() - t0) / 1e9));
                }
            }
            p.flush();
        }
        return count;
    }

    /** Events of {@code end} that the consumer group {@code groupId} has committed (folded, for a status instance). */
    private static long folded(Admin admin, String groupId, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return end.entrySet().stream().mapToLong(e -> {
            OffsetAndMetadata o = committed.get(e.getKey());
            return o == null ? 0 : Math.min(o.offset(), e.getValue());
        }).sum();
    }

    /** The current end offsets of the three event topics. */
    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        List<String> topics = Topics.EVENTS.stream().map(t -> t.name()).toList();
        Set<TopicPartition> tps = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
                .forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    /**
     * Waits until the platform's own status service (consumer group {@code groupId}) has folded everything
     * on the event topics, logging progress: until then it folds the same events on the same two cores,
     * and Kafka's tool and the rebuild measured beside it would each get an unknown share of the machine.
     */
    static void awaitCaughtUp(String bootstrap, String groupId, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> end = endOffsets(admin);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            long t0 = System.nanoTime();
            long lastLog = 0;
            long deadline = t0 + timeout.toNanos();
            while (true) {
                long done = folded(admin, groupId, end);
                if (done >= total) {
                    System.out.printf("  the platform's status service has folded all %,d events (waited %.0f s)%n", total,
                            (System.nanoTime() - t0) / 1e9);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the platform's status service folded only " + done + " of " + total
                            + " events within " + timeout);
                }
                if (lastLog == 0 || System.nanoTime() - lastLog > 30_000_000_000L) {
                    lastLog = System.nanoTime();
                    System.out.printf("  waiting for the platform's status service: %,d / %,d events folded%n", done, total);
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * @param seconds from starting the JVM to the last event folded
     * @param processingEventsPerSec events / (seconds − time until the instance first answered a query)
     */
    record Result(long events, double seconds, double eventsPerSec, double firstQuerySeconds, double processingEventsPerSec) {
    }

    /** What to do with the rebuilt instance before it is stopped (the national-scale measurement). */
    interface AfterReplay {
        void accept(int port, long pid) throws Exception;
    }

    /** Starts a fresh status instance and waits until it has folded everything now on the event topics. */
    static Result rebuild(String bootstrap, String registry, Path repoRoot, Path dataDir, Path seedsDir, Duration timeout,
                          int streamThreads, AfterReplay after) throws Exception {
        String appId = "bench-replay-" + System.currentTimeMillis();
        int port = Ports.freePort();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> end = endOffsets(admin);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            long t0 = System.nanoTime();
            List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx512m"));
            // REFORM_BENCH_JFR=<dir>: record a CPU profile of the rebuilding instance (jfr print / JDK Mission Control).
            String jfr = System.getenv("REFORM_BENCH_JFR");
            if (jfr != null && !jfr.isBlank()) {
                jvm.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath().resolve(appId + ".jfr") + ",settings=profile,dumponexit=true");
            }
            jvm.addAll(List.of("-jar", repoRoot.resolve("services/replication-status-service/target/replication-status-service.jar").toString(),
                    "--server.port=" + port, "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--spring.kafka.properties.schema.registry.url=" + registry,
                    "--spring.kafka.streams.application-id=" + appId,
                    "--spring.kafka.streams.properties.num.stream.threads=" + streamThreads,
                    "--reform.status.state-dir=" + dataDir.resolve(appId)));
            ManagedProcess status = ManagedProcess.start(appId, ManagedProcess.javaCommand(jvm),
                    Map.of("REFORM_SEEDS_DIR", seedsDir.toString()), repoRoot, dataDir.resolve("logs").resolve(appId + ".log"));
            try {
                double firstQuery = Double.NaN;
                long lastLog = 0;
                HttpClient http = HttpClient.newHttpClient();
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    if (Double.isNaN(firstQuery)) {
                        try {
                            int code = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/status/cells/"
                                    + "X-0000-0000/000000")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (code == 200 || code == 404 || code == 400) {
                                firstQuery = (System.nanoTime() - t0) / 1e9;
                            }
                        } catch (Exception ignored) {
                            // not up yet
                        }
                    }
                    long done = folded(admin, appId, end);
                    if (done >= total) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        double processing = Double.isNaN(firstQuery) || secs <= firstQuery ? total / secs : total / (secs - firstQuery);
                        if (after != null) {
                            after.accept(port, status.pid());
                        }
                        return new Result(total, secs, total / secs, firstQuery, processing);
                    }
                    if (lastLog == 0 || System.nanoTime() - lastLog > 30_000_000_000L) {
                        lastLog = System.nanoTime();
                        System.out.printf("  replay: %,d / %,d events folded (%.0f s)%n", done, total, (lastLog - t0) / 1e9);
                    }
                    if (!status.isAlive()) {
                        throw status.failure("the replay status instance died");
                    }
                    Thread.sleep(500);
                }
                throw new IllegalStateException("replay did not finish within " + timeout);
            } finally {
                status.stop();
            }
        }
    }
}
