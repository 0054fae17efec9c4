package sh.reform.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.catalog.Catalog;
import sh.reform.local.infra.RealInfra;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;

/**
 * What the supervision tests share: one Spring context (the same configuration, so Spring's test
 * context cache gives every test class the same one), the real broker and registry, the seed
 * catalog, and a count of the records on reform.supervision.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SupervisionApiTestBase {

    static final String TOPIC = Topics.SUPERVISION.name();
    static Catalog catalog;
    static TestPlatform.PublishedRecords records;

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestPlatform.kafkaProperties(r);
    }

    @BeforeAll
    static void platform() {
        catalog = TestPlatform.publishSeedCatalog();
        records = new TestPlatform.PublishedRecords(TOPIC);
    }

    @AfterAll
    static void closeRecords() {
        records.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    CatalogFollower follower;

    @Autowired
    ReportingEngine<SupervisionEvent> engine;

    /** Waits until the service has the whole seed catalog and has read earlier receipts. */
    void ready() {
        try {
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> follower.current().cases().size() >= 20);
            assertThat(engine.index().awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    long published() {
        return records.count();
    }

    HttpResponse<String> post(String path, String token, String body) {
        return post(path, token, body, Map.of());
    }

    HttpResponse<String> post(String path, String token, String body, Map<String, String> headers) {
        return TestPlatform.send(port, "POST", "/api/v1/supervision" + path, token, body, headers);
    }

    /** The committed record at the partition and offset a 202 answer named, decoded. */
    static Decoded recordAt(int partition, long offset) {
        ConsumerRecord<byte[], byte[]> rec = TestPlatform.readAll(TOPIC).stream()
                .filter(x -> x.partition() == partition && x.offset() == offset).findFirst().orElseThrow();
        SupervisionEvent e = (SupervisionEvent) new AvroDeserializer(
                new SchemaRegistryClient(RealInfra.registry().confluentApiUrl()), true).deserialize(TOPIC, rec.value());
        return new Decoded(new String(rec.key(), StandardCharsets.UTF_8), e);
    }

    record Decoded(String key, SupervisionEvent event) {
    }

    /** A case the district may be supervised on (any case it is not the origin district of). */
    static String caseFor(String district) {
        return catalog.cases().stream().filter(c -> !c.getOriginDistrict().equals(district))
                .map(c -> c.getCaseId()).sorted().findFirst().orElseThrow();
    }
}
