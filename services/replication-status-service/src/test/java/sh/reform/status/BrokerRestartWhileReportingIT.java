package sh.reform.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import sh.reform.local.infra.ManagedProcess;
import sh.reform.local.infra.Ports;
import sh.reform.local.infra.RealInfra;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;

/**
 * Issue 9, fault test 1, end to end: the broker is restarted while a stream of reports comes in over
 * HTTP to the packaged case-adoption-service, whose client retries as the README documents (on 503,
 * the same request, same event id, after Retry-After). Afterwards the adoption topic holds each event
 * exactly once, and the packaged replication-status-service, which ran through the restart too, counts
 * exactly those events in every cell: nothing lost, nothing doubled, on the topic and in the status.
 *
 * <p>Both services run from the jars that {@code package} builds (the adoption service's module comes
 * first in the reactor), so this is a failsafe test.
 */
class BrokerRestartWhileReportingIT {

    static final List<String> CASES = List.of("SH-2023-12", "SH-2023-14", "SH-2023-16", "SH-2023-17", "SH-2023-18");
    static final List<String> DISTRICTS = List.of("310101", "310112", "310115", "310117");
    static final int ROUNDS = 3;

    @Test
    void everyReportOfAStreamThroughABrokerRestartIsOnTheTopicAndInTheStatusExactlyOnce() throws Exception {
        String statusJar = System.getProperty("reform.status.jar");
        String adoptionJar = System.getProperty("reform.adoption.jar");
        Assumptions.assumeTrue(statusJar != null && Files.isRegularFile(Path.of(statusJar)), "the status jar is built by `package`");
        Assumptions.assumeTrue(adoptionJar != null && Files.isRegularFile(Path.of(adoptionJar)),
                "the case-adoption-service jar is built by its module's `package`, earlier in the reactor");
        RealInfraFixture.useBootstrapServers(null); // the single test broker, whatever an earlier test in this JVM used
        RealInfraFixture.prepare();
        Path work = Files.createTempDirectory("broker-restart-");
        int statusPort = Ports.freePort();
        int adoptionPort = Ports.freePort();
        ManagedProcess status = KillAndRestartIT.start(statusJar, work, statusPort);
        ManagedProcess adoption = startAdoption(adoptionJar, work, adoptionPort);
        try {
            String token = LocalTokens.cityOffice(LocalTokens.LOCAL_SECRET, "fault-test-1", Duration.ofHours(1));
            List<String> bodies = new ArrayList<>();
            Map<String, String> cellOf = new LinkedHashMap<>();
            // A case's own origin district does not report replicating it (the API refuses that): skip those cells.
            Map<String, String> origin = RealInfraFixture.SEED_CASES.stream()
                    .collect(Collectors.toMap(c -> c.getCaseId(), c -> c.getOriginDistrict()));
            for (int round = 0; round < ROUNDS; round++) {
                for (String c : CASES) {
                    for (String d : DISTRICTS) {
                        if (d.equals(origin.get(c))) {
                            continue;
                        }
                        String id = UUID.randomUUID().toString();
                        cellOf.put(id, Topic.cellKey(c, d));
                        bodies.add("""
                                {"eventId": "%s", "caseId": "%s", "districtCode": "%s", "occurredAt": "2026-11-%02dT10:00:00+08:00",
                                 "decision": "%s", "leadAgency": "区发展改革委", "targetDate": "2027-06-30", "note": "round %d"}
                                """.formatted(id, c, d, 10 + round, round == 0 ? "INTENDS" : "ADOPTED", round));
                    }
                }
            }
            int n = bodies.size();
            AtomicInteger sent = new AtomicInteger();
            AtomicReference<Throwable> restartFailed = new AtomicReference<>();
            Thread restarter = new Thread(() -> {
                try {
                    while (sent.get() < n / 3) {
                        Thread.sleep(5);
                    }
                    System.out.println("restarting the broker after " + sent.get() + " of " + n + " reports");
                    RealInfra.replaceBroker(RealInfra.broker().restart());
                } catch (Throwable t) {
                    restartFailed.set(t);
                }
            }, "restarter");
            // The service takes reports once it has read the catalog: until then a case is unknown (400, nothing published).
            long ready = System.currentTimeMillis() + 90_000;
            HttpResponse<String> first = post(adoptionPort, token, bodies.get(0));
            while ((first == null || first.statusCode() != 202) && System.currentTimeMillis() < ready) {
                Thread.sleep(500);
                first = post(adoptionPort, token, bodies.get(0));
            }
            assertThat(first).isNotNull();
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            sent.incrementAndGet();
            restarter.start();
            int retried = 0;
            for (String body : bodies.subList(1, n)) {
                long deadline = System.currentTimeMillis() + 90_000;
                HttpResponse<String> r = post(adoptionPort, token, body);
                // The documented client behaviour: on 503 (or no answer), the same request again after Retry-After.
                while ((r == null || r.statusCode() == 503) && System.currentTimeMillis() < deadline) {
                    retried++;
                    Thread.sleep(r == null ? 500 : 1000L * r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
                    r = post(adoptionPort, token, body);
                }
                assertThat(r).isNotNull();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                sent.incrementAndGet();
            }
            restarter.join(Duration.ofSeconds(120).toMillis());
            assertThat(restartFailed.get()).isNull();
            System.out.println(n + " reports accepted, " + retried + " retries");

            // The topic: every event id exactly once.
            Map<String, Long> copies = eventIdsOnTopic(Topics.CASE_ADOPTION.name()).stream().filter(cellOf::containsKey)
                    .collect(Collectors.groupingBy(x -> x, Collectors.counting()));
            assertThat(copies.keySet()).isEqualTo(cellOf.keySet());
            assertThat(copies.values()).allMatch(c -> c == 1L);

            // The status: every cell counts exactly its events, and the total is n.
            Map<String, Long> expected = cellOf.values().stream().collect(Collectors.groupingBy(x -> x, Collectors.counting()));
            Map<String, Long> counted = new HashMap<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (String key : expected.keySet()) {
                    String[] cell = key.split("\\|");
                    counted.put(key, KillAndRestartIT.get(statusPort, "/api/v1/status/cells/" + cell[0] + "/" + cell[1])
                            .path("eventCount").asLong());
                }
                assertThat(counted).isEqualTo(expected);
            });
            assertThat(counted.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
        } finally {
            adoption.stop();
            status.stop();
            if (!Boolean.getBoolean("reform.keep")) {
                KillAndRestartIT.deleteQuietly(work);
            }
        }
    }

    static ManagedProcess startAdoption(String jar, Path work, int port) {
        List<String> command = ManagedProcess.javaCommand(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar,
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + RealInfraFixture.bootstrap(),
                "--spring.kafka.properties.schema.registry.url=" + RealInfraFixture.registry()));
        ManagedProcess p = ManagedProcess.start("case-adoption", command, Map.of("REFORM_DATA_DIR", work.resolve("adoption").toString()),
                work, work.resolve("adoption.log"));
        p.awaitReady(Duration.ofSeconds(120), () -> ManagedProcess.httpOk("http://127.0.0.1:" + port + "/actuator/health"));
        return p;
    }

    static HttpResponse<String> post(int port, String token, String body) {
        try {
            return KillAndRestartIT.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/adoptions"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every CloudEvents id on the topic, read_committed from the beginning to the end. */
    static List<String> eventIdsOnTopic(String topic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfraFixture.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            Set<TopicPartition> open = new HashSet<>(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    ids.add(CloudEventHeaders.get(r.headers(), CloudEventHeaders.ID));
                }
                open.removeIf(p -> c.position(p) >= end.get(p));
            }
            assertThat(open).as("read to the end of " + topic).isEmpty();
        }
        return ids;
    }
}
