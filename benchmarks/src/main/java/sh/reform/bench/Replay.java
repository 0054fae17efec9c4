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

    static long produce(String bootstrap, String registry, NationalSeeds seeds, long count) {
        Random random = new Random(42);
        String[] stages = {"PLANNED", "PILOT", "LIVE", "SCALED"};
        Reporter reporter = Reporter.newBuilder().setPrincipal("benchmark").setAgency("benchmark").setRole(ReporterRole.SYSTEM).build();
        Instant at = Instant.parse("2026-10-01T02:00:00Z");
        Map<String, Object> props = new HashMap<>(ProducerDefaults.avroProducer(bootstrap, registry));
        props.put("batch.size", 262144);
        props.put("linger.ms", 20);
        long t0 = System.nanoTime();
        try (KafkaProducer<String, Object> p = new KafkaProducer<>(props)) {
            for (long i = 0; i < count; i++) {
                String caseId = seeds.caseIds.get(random.nextInt(seeds.caseIds.size()));
                String district = seeds.districts.get(random.nextInt(seeds.districts.size()));
                EventEnvelope env = EventEnvelope.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(at.plusSeconds(i % 86_400)).setRecordedAt(at.plusSeconds(i % 86_400))
                        .setDistrictCode(district).setCaseId(caseId).setReporter(reporter).setSource(ReportSource.FILE_IMPORT).build();
                MeasureRolloutReported e = MeasureRolloutReported.newBuilder().setEnvelope(env)
                        .setMeasureId(caseId + "-M" + (1 + random.nextInt(3))).setStage(RolloutStage.valueOf(stages[random.nextInt(4)]))
                        .setCoverage(Coverage.newBuilder().setCovered(1 + random.nextInt(9)).setTotal(10).setUnit("街镇").build()).build();
                p.send(EventRecords.rollout("benchmark", e));
                if (i % 100_000 == 0 && i > 0) {
                    System.out.printf("  produced %,d / %,d events (%.0f/s)%n", i, count, i / ((System.nanoTime() - t0) / 1e9));
                }
            }
            p.flush();
        }
        return count;
    }

    /**
     * @param seconds from starting the JVM to the last event folded
     * @param processingEventsPerSec events / (seconds − time until the instance first answered a query)
     */
    record Result(long events, double seconds, double eventsPerSec, double firstQuerySeconds, double processingEventsPerSec) {
    }

    /** Starts a fresh status instance and waits until it has folded everything now on the event topics. */
    static Result rebuild(String bootstrap, String registry, Path repoRoot, Path dataDir, Path seedsDir, Duration timeout) throws Exception {
        String appId = "bench-replay-" + System.currentTimeMillis();
        int port = Ports.freePort();
        List<String> topics = Topics.EVENTS.stream().map(t -> t.name()).toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<TopicPartition> tps = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toSet());
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
                    .forEach((tp, info) -> end.put(tp, info.offset()));
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            long t0 = System.nanoTime();
            ManagedProcess status = ManagedProcess.start(appId, ManagedProcess.javaCommand(List.of(
                    "-Xmx512m", "-jar", repoRoot.resolve("services/replication-status-service/target/replication-status-service.jar").toString(),
                    "--server.port=" + port, "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--spring.kafka.properties.schema.registry.url=" + registry,
                    "--spring.kafka.streams.application-id=" + appId,
                    "--reform.status.state-dir=" + dataDir.resolve(appId))),
                    Map.of("REFORM_SEEDS_DIR", seedsDir.toString()), repoRoot, dataDir.resolve("logs").resolve(appId + ".log"));
            try {
                double firstQuery = Double.NaN;
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
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                    long done = end.entrySet().stream().mapToLong(e -> {
                        OffsetAndMetadata o = committed.get(e.getKey());
                        return o == null ? 0 : Math.min(o.offset(), e.getValue());
                    }).sum();
                    if (done >= total) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        double processing = Double.isNaN(firstQuery) || secs <= firstQuery ? total / secs : total / (secs - firstQuery);
                        return new Result(total, secs, total / secs, firstQuery, processing);
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
