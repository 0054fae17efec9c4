package sh.reform.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.shared.testing.TestPlatform.assertStatus;
import static sh.reform.shared.testing.TestPlatform.published;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.local.infra.RealInfra;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutcomeReportingServiceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOPIC = Topics.OUTCOME_REPORTING.name();
    static final String MINHANG = TestPlatform.districtToken("310112");

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestPlatform.kafkaProperties(r);
    }

    @BeforeAll
    static void catalog() {
        TestPlatform.publishSeedCatalog();
    }

    @LocalServerPort
    int port;
    @Autowired
    CatalogFollower follower;
    @Autowired
    ReportingEngine<OutcomeReported> engine;

    @BeforeEach
    void ready() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (follower.current().cases().size() < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.index().awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    }

    static String outcome(String metricId, String value, String extra) {
        return """
                {"eventId": "%s", "caseId": "SH-2023-02", "districtCode": "310112", "occurredAt": "2026-10-31T18:00:00+08:00",
                 "metricId": "%s", "value": %s, "period": "2026-10"%s}
                """.formatted(UUID.randomUUID(), metricId, value, extra);
    }

    HttpResponse<String> post(String body) {
        return TestPlatform.send(port, "POST", "/api/v1/outcomes", MINHANG, body, Map.of());
    }

    @Test
    void anOutcomeForACatalogMetricTakesTheCatalogUnit() {
        HttpResponse<String> r = post(outcome("SH-2023-02-K5", "12.5", ", \"evidenceRef\": \"闵商务〔2026〕12号\""));
        assertStatus(r, 202);
        JsonNode a = JSON.readTree(r.body());
        var rec = TestPlatform.readAll(TOPIC).stream()
                .filter(x -> x.partition() == a.path("partition").asInt() && x.offset() == a.path("offset").asLong()).findFirst().orElseThrow();
        var e = (OutcomeReported) new AvroDeserializer(new SchemaRegistryClient(RealInfra.registry().confluentApiUrl()), true)
                .deserialize(TOPIC, rec.value());
        assertThat(e.getUnit()).isEqualTo("%");
        assertThat(e.getValue()).isEqualTo(12.5);
        assertThat(e.getPeriod()).isEqualTo("2026-10");
        assertThat(e.getMetricName()).isNull();
    }

    @Test
    void aDistrictsOwnMetricIsAcceptedWhenDeclaredWithNameAndUnit() {
        assertStatus(post(outcome("MH-OWN-1", "37", ", \"metricName\": \"企业走访数\", \"unit\": \"家\"")), 202);
    }

    static Stream<Arguments> badOutcomes() {
        return Stream.of(
                Arguments.of("metric not of the case, undeclared", outcome("SH-2023-01-K1", "3", ""), "metricId"),
                Arguments.of("percentage above 100", outcome("SH-2023-02-K5", "120", ""), "value"),
                Arguments.of("percentage below 0", outcome("SH-2023-02-K5", "-1", ""), "value"),
                Arguments.of("unit differs from the catalog", outcome("SH-2023-02-K4", "3", ", \"unit\": \"批\""), "unit"),
                Arguments.of("value not a number", outcome("SH-2023-02-K4", "\"三\"", ""), "value"),
                Arguments.of("missing value", outcome("SH-2023-02-K4", "null", ""), "value"),
                Arguments.of("malformed period", outcome("SH-2023-02-K4", "3", "").replace("\"2026-10\"", "\"Oct 2026\""), "period"),
                Arguments.of("missing metric", outcome("SH-2023-02-K4", "3", "").replace("\"metricId\": \"SH-2023-02-K4\",", ""), "metricId"),
                Arguments.of("own percentage metric above 100", outcome("MH-OWN-2", "101", ", \"metricName\": \"满意度\", \"unit\": \"%\""), "value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOutcomes")
    void badOutcomeIsRefusedFieldByFieldAndNothingIsPublished(String what, String body, String field) {
        long before = published(TOPIC);
        HttpResponse<String> r = post(body);
        assertStatus(r, 400);
        assertThat(JSON.readTree(r.body()).path("errors").valueStream().map(e -> e.path("field").asString()).toList()).contains(field);
        assertThat(published(TOPIC)).isEqualTo(before);
    }
}
