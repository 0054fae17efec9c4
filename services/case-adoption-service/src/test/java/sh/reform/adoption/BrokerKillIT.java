package sh.reform.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.Jurisdiction;
import sh.reform.local.infra.KafkaCluster;
import sh.reform.local.infra.RealInfra;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10, done-when 2: a 3-node Kafka cluster (KRaft, replication 3, {@code min.insync.replicas} 2),
 * the real registry and this service; clients stream reports and retry as the API documents (the same
 * {@code eventId} again; after a 503 once {@code Retry-After} has passed). One broker, the leader of
 * partition 0 of the topic, is killed with {@code kill -9} in the middle. Afterwards every acknowledged
 * report is on the topic exactly once (read_committed), none is doubled, and reports were accepted while
 * the broker was down.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrokerKillIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOPIC = Topics.CASE_ADOPTION.name();
    static final int CLIENTS = 3;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestPlatform.useBootstrapServers(RealInfra.cluster().bootstrapServers());
        TestPlatform.kafkaProperties(r);
    }

    @LocalServerPort
    int port;

    @Autowired
    CatalogFollower follower;

    @Autowired
    ReportingEngine<CaseAdoptionReported> engine;

    record Report(String eventId, String caseId, String district) {
    }

    @Test
    void killNineOfABrokerWhileReportsStreamInLosesAndDoublesNothing() throws Exception {
        KafkaCluster cluster = RealInfra.cluster();
        Catalog catalog = TestPlatform.publishSeedCatalog();
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        long deadline = System.currentTimeMillis() + 30_000;
        while (follower.current().cases().size() < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.index().awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

        // The topics were created for a cluster: 3 replicas, min.insync.replicas 2 (derived, not configured).
        int victim;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            TopicDescription d = admin.describeTopics(Set.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
            assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(Set.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            victim = d.partitions().get(0).leader().id() - 1;
        }

        // One adoption per cell of the 2023 matrix but the origin district's: 300 reports.
        List<Report> reports = new ArrayList<>();
        for (CatalogCase c : catalog.cases()) {
            for (Jurisdiction district : catalog.districts()) {
                if (!district.code().equals(c.getOriginDistrict()) && reports.size() < 300) {
                    reports.add(new Report(UUID.randomUUID().toString(), c.getCaseId(), district.code()));
                }
            }
        }
        int n = reports.size();
        assertThat(n).isEqualTo(300);

        Map<String, JsonNode> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger otherFailures = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong();
        AtomicInteger acceptedWhileDown = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            List<Report> mine = new ArrayList<>();
            for (int i = c; i < n; i += CLIENTS) {
                mine.add(reports.get(i));
            }
            Thread client = new Thread(() -> {
                try {
                    for (Report r : mine) {
                        JsonNode receipt = reportWithRetries(r, unavailable, otherFailures);
                        acknowledged.put(r.eventId(), receipt);
                        sent.incrementAndGet();
                        if (killedAt.get() != 0) {
                            acceptedWhileDown.incrementAndGet();
                        }
                        Thread.sleep(15);
                    }
                } catch (Throwable t) {
                    failed.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }, "client-" + c);
            client.setDaemon(true);
            client.start();
        }
        long t0 = System.nanoTime();
        while (sent.get() < n / 3 && failed.get() == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
            Thread.sleep(5);
        }
        long pid = cluster.node(victim).process().pid();
        cluster.kill(victim);
        killedAt.set(System.nanoTime());
        System.out.printf("kill -9 of broker %d (pid %d) after %d of %d reports acknowledged%n",
                victim + 1, pid, sent.get(), n);
        assertThat(done.await(180, TimeUnit.SECONDS)).as("the clients finished").isTrue();
        assertThat(failed.get()).as("a client failed").isNull();
        System.out.printf("all %d reports acknowledged %.1f s after the kill; 503 answers retried: %d, other failures retried: %d,"
                        + " accepted while the broker was down: %d%n",
                n, (System.nanoTime() - killedAt.get()) / 1e9, unavailable.get(), otherFailures.get(), acceptedWhileDown.get());
        assertThat(acknowledged).hasSize(n);
        assertThat(acceptedWhileDown.get()).as("reports accepted while the broker was down").isGreaterThan(n / 2);

        // Exactly once on the topic, read_committed: N records, N distinct event ids, each where its receipt says.
        List<ConsumerRecord<byte[], byte[]>> records = TestPlatform.readAll(TOPIC);
        Map<String, Integer> perId = new HashMap<>();
        Map<String, long[]> where = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : records) {
            String id = CloudEventHeaders.read(rec.headers()).orElseThrow().id();
            perId.merge(id, 1, Integer::sum);
            where.put(id, new long[] {rec.partition(), rec.offset()});
        }
        Set<String> ours = new HashSet<>(acknowledged.keySet());
        long oursOnTopic = records.stream().filter(r -> ours.contains(CloudEventHeaders.read(r.headers()).orElseThrow().id())).count();
        assertThat(oursOnTopic).as("records of this test on the topic").isEqualTo(n);
        assertThat(perId.keySet()).containsAll(ours);
        List<String> doubled = perId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertThat(doubled).as("event ids on the topic more than once").isEmpty();
        for (Map.Entry<String, JsonNode> e : acknowledged.entrySet()) {
            long[] at = where.get(e.getKey());
            assertThat(at).as(e.getKey()).isNotNull();
            assertThat(e.getValue().path("partition").asLong()).as("partition of %s", e.getKey()).isEqualTo(at[0]);
            assertThat(e.getValue().path("offset").asLong()).as("offset of %s", e.getKey()).isEqualTo(at[1]);
        }
        System.out.printf("topic %s: %d records of this test, %d distinct event ids, none doubled%n", TOPIC, oursOnTopic,
                ours.stream().filter(perId::containsKey).count());

        cluster.startAgain(victim);
    }

    /**
     * A client as the API documents it: the same request (same eventId) again until it is answered 202;
     * after a 503 it waits for {@code Retry-After}; a lost connection or timeout is retried at once.
     */
    private JsonNode reportWithRetries(Report r, AtomicInteger unavailable, AtomicInteger otherFailures) throws Exception {
        String token = TestPlatform.districtToken(r.district());
        String body = """
                {"eventId": "%s", "caseId": "%s", "districtCode": "%s", "occurredAt": "2026-11-20T10:00:00+08:00",
                 "decision": "ADOPTED", "leadAgency": "区市场监管局", "targetDate": "2027-06-30"}
                """.formatted(r.eventId(), r.caseId(), r.district());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/adoptions"))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() == 202) {
                    return JSON.readTree(response.body());
                }
                if (response.statusCode() != 503) {
                    throw new AssertionError("report " + r + " answered " + response.statusCode() + ": " + response.body());
                }
                unavailable.incrementAndGet();
                long retryAfter = response.headers().firstValueAsLong("Retry-After").orElseThrow(
                        () -> new AssertionError("a 503 without Retry-After: " + response.body()));
                Thread.sleep(TimeUnit.SECONDS.toMillis(retryAfter));
            } catch (java.io.IOException e) {
                otherFailures.incrementAndGet();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("report " + r + " not accepted within 90 s");
            }
        }
    }

    static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        Collections.sort(l);
        return l;
    }
}
