package sh.reform.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.shared.testing.TestPlatform.assertStatus;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.local.infra.RealInfra;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Batches through the pool of transactional producers: concurrent batches land all or nothing and
 * exactly once, and a fenced producer fails only its own batch and is replaced.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"reform.reporting.transactional-producers=3", "reform.reporting.transactional-id-prefix=rollout-pool-test"})
class TransactionalPoolTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOPIC = Topics.MEASURE_ROLLOUT.name();
    static final String JINSHAN = TestPlatform.districtToken("310116");

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestPlatform.kafkaProperties(r);
    }

    @BeforeAll
    static void catalog() throws InterruptedException {
        // A registry started moments ago on a busy machine may time out its first requests.
        for (int attempt = 1; ; attempt++) {
            try {
                TestPlatform.publishSeedCatalog();
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(2000);
            }
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    CatalogFollower follower;
    @Autowired
    ReportingEngine<MeasureRolloutReported> engine;

    @BeforeEach
    void ready() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while ((follower.current().cases().size() < 20 || engine.transactionalProducersReady() < 3) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.index().awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(engine.transactionalProducersReady()).isEqualTo(3);
    }

    record Batch(List<String> ids, String body) {
    }

    static Batch batch(int size) {
        List<String> ids = new ArrayList<>();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            sb.append(i == 0 ? "" : ",").append("""
                    {"eventId": "%s", "caseId": "SH-2023-03", "districtCode": "310116", "occurredAt": "2026-11-21T09:30:00+08:00",
                     "measureId": "SH-2023-03-M1", "stage": "PILOT", "coverage": {"covered": %d, "total": 30, "unit": "楼宇"}}
                    """.formatted(id, i % 30));
        }
        return new Batch(ids, sb.append(']').toString());
    }

    HttpResponse<String> post(Batch b) {
        return TestPlatform.send(port, "POST", "/api/v1/rollouts/batch", JINSHAN, b.body(), Map.of());
    }

    static Map<String, Long> copiesOnTopic(Set<String> wanted) {
        return TestPlatform.readAll(TOPIC).stream()
                .map(x -> CloudEventHeaders.get(x.headers(), CloudEventHeaders.ID)).filter(wanted::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void eachPooledProducerHasItsOwnTransactionalIdFromTheConfiguredPrefix() {
        assertThat(engine.transactionalIds()).containsExactly("rollout-pool-test-tx-0", "rollout-pool-test-tx-1", "rollout-pool-test-tx-2");
    }

    @Test
    void concurrentBatchesLandAllOrNothingAndExactlyOnceAndTheirRepeatsPublishNothing() throws Exception {
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            batches.add(batch(150));
        }
        // One batch with a bad report in the middle: refused field by field, none of its reports published.
        Batch bad = batch(50);
        Batch badOne = new Batch(bad.ids(), bad.body().replaceFirst("\"stage\": \"PILOT\"", "\"stage\": \"DONE\""));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Batch b : batches) {
                answers.add(pool.submit(() -> post(b)));
            }
            Future<HttpResponse<String>> refused = pool.submit(() -> post(badOne));
            for (Future<HttpResponse<String>> a : answers) {
                assertStatus(a.get(), 202);
            }
            assertStatus(refused.get(), 400);
            assertThat(JSON.readTree(refused.get().body()).path("errors").get(0).path("field").asString()).isEqualTo("reports[0].stage");

            Set<String> wanted = new HashSet<>();
            batches.forEach(b -> wanted.addAll(b.ids()));
            wanted.addAll(bad.ids());
            Map<String, Long> copies = copiesOnTopic(wanted);
            assertThat(copies).hasSize(9 * 150);
            assertThat(copies.values()).allMatch(c -> c == 1L);
            assertThat(copies.keySet()).doesNotContainAnyElementsOf(bad.ids());

            // The same batches again, concurrently: the same receipts, marked duplicate, and nothing new on the topic.
            long before = TestPlatform.published(TOPIC);
            List<Future<HttpResponse<String>>> repeats = new ArrayList<>();
            for (Batch b : batches.subList(0, 4)) {
                repeats.add(pool.submit(() -> post(b)));
            }
            for (int k = 0; k < repeats.size(); k++) {
                HttpResponse<String> r = repeats.get(k).get();
                assertStatus(r, 202);
                JsonNode answer = JSON.readTree(r.body());
                assertThat(answer.path("receipts").size()).isEqualTo(150);
                assertThat(answer.path("receipts").get(0).path("eventId").asString()).isEqualTo(batches.get(k).ids().get(0));
                assertThat(answer.path("duplicates").asInt()).isEqualTo(150);
                assertThat(r.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            }
            assertThat(TestPlatform.published(TOPIC)).isEqualTo(before);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFencedProducerFailsOnlyItsOwnBatchIsReplacedAndTheBatchLandsOnceWhenRetried() throws Exception {
        // Another producer takes over the transactional id of the first pooled producer (as a restarted instance would).
        try (KafkaProducer<String, String> usurper = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfra.broker().bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, engine.transactionalIds().get(0),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            usurper.initTransactions();
        }
        List<Batch> sent = new ArrayList<>();
        Batch failed = null;
        // Every pooled producer is used within a few sequential batches; only the fenced one fails, once.
        for (int i = 0; i < 6; i++) {
            Batch b = batch(40);
            long start = System.nanoTime();
            HttpResponse<String> r = post(b);
            if (r.statusCode() == 503) {
                assertThat(failed).as("only one batch fails").isNull();
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                failed = b;
            } else {
                assertStatus(r, 202);
                sent.add(b);
            }
        }
        assertThat(failed).as("the fenced producer's batch").isNotNull();
        assertThat(copiesOnTopic(new HashSet<>(failed.ids()))).as("nothing of the aborted batch is visible").isEmpty();
        // The pool replaced the fenced producer: every producer works again.
        for (int i = 0; i < 3; i++) {
            Batch b = batch(40);
            assertStatus(post(b), 202);
            sent.add(b);
        }
        HttpResponse<String> retry = post(failed);
        assertStatus(retry, 202);
        assertThat(JSON.readTree(retry.body()).path("duplicates").asInt()).isZero();
        assertThat(JSON.readTree(retry.body()).path("count").asInt()).isEqualTo(40);
        sent.add(failed);
        Set<String> wanted = new HashSet<>();
        sent.forEach(b -> wanted.addAll(b.ids()));
        Map<String, Long> copies = copiesOnTopic(wanted);
        assertThat(copies).hasSize(wanted.size());
        assertThat(copies.values()).allMatch(c -> c == 1L);
        assertThat(engine.transactionalProducersReady()).isEqualTo(3);
    }
}
