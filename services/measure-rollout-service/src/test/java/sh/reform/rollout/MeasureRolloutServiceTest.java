package sh.reform.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.shared.testing.TestPlatform.assertStatus;
import static sh.reform.shared.testing.TestPlatform.published;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MeasureRolloutServiceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOPIC = Topics.MEASURE_ROLLOUT.name();
    static final String JINSHAN = TestPlatform.districtToken("310116");

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
    ReportingEngine<MeasureRolloutReported> engine;

    @BeforeEach
    void ready() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (follower.current().cases().size() < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.index().awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    }

    static String rollout(String measureId, String stage, String extra) {
        return """
                {"eventId": "%s", "caseId": "SH-2023-03", "districtCode": "310116", "occurredAt": "2026-11-21T09:30:00+08:00",
                 "measureId": "%s", "stage": "%s"%s}
                """.formatted(UUID.randomUUID(), measureId, stage, extra);
    }

    HttpResponse<String> post(String body) {
        return TestPlatform.send(port, "POST", "/api/v1/rollouts", JINSHAN, body, Map.of());
    }

    @Test
    void aMeasureGoingLiveLandsOnTheTopicWithCoverageAndServiceItemCode() {
        HttpResponse<String> r = post(rollout("SH-2023-03-M1", "LIVE",
                ", \"coverage\": {\"covered\": 9, \"total\": 11, \"unit\": \"街镇\"}, \"serviceItemCode\": \"310116-SC-0042\", \"effectiveDate\": \"2026-11-21\""));
        assertStatus(r, 202);
        JsonNode a = JSON.readTree(r.body());
        var rec = TestPlatform.readAll(TOPIC).stream()
                .filter(x -> x.partition() == a.path("partition").asInt() && x.offset() == a.path("offset").asLong()).findFirst().orElseThrow();
        var e = (MeasureRolloutReported) new AvroDeserializer(new SchemaRegistryClient(RealInfra.registry().confluentApiUrl()), true)
                .deserialize(TOPIC, rec.value());
        assertThat(e.getStage()).isEqualTo(RolloutStage.LIVE);
        assertThat(e.getCoverage().getCovered()).isEqualTo(9);
        assertThat(e.getCoverage().getUnit()).isEqualTo("街镇");
        assertThat(e.getServiceItemCode()).isEqualTo("310116-SC-0042");
        assertThat(e.getEnvelope().getReporter().getPrincipal()).isEqualTo("district-310116");
    }

    static Stream<Arguments> badRollouts() {
        return Stream.of(
                Arguments.of("measure of another case", rollout("SH-2023-01-M1", "LIVE", ""), "measureId"),
                Arguments.of("missing measure", rollout("SH-2023-03-M1", "LIVE", "").replace("\"measureId\": \"SH-2023-03-M1\",", ""), "measureId"),
                Arguments.of("unknown stage", rollout("SH-2023-03-M1", "DONE", ""), "stage"),
                Arguments.of("coverage above its total", rollout("SH-2023-03-M1", "PILOT", ", \"coverage\": {\"covered\": 31, \"total\": 30, \"unit\": \"楼宇\"}"), "coverage.covered"),
                Arguments.of("negative coverage", rollout("SH-2023-03-M1", "PILOT", ", \"coverage\": {\"covered\": -1, \"total\": 30, \"unit\": \"楼宇\"}"), "coverage.covered"),
                Arguments.of("zero total", rollout("SH-2023-03-M1", "PILOT", ", \"coverage\": {\"covered\": 0, \"total\": 0, \"unit\": \"楼宇\"}"), "coverage.total"),
                Arguments.of("coverage without unit", rollout("SH-2023-03-M1", "PILOT", ", \"coverage\": {\"covered\": 1, \"total\": 30}"), "coverage.unit"),
                Arguments.of("coverage not a number", rollout("SH-2023-03-M1", "PILOT", ", \"coverage\": {\"covered\": \"four\", \"total\": 30, \"unit\": \"楼宇\"}"), "coverage.covered"),
                Arguments.of("malformed service item code", rollout("SH-2023-03-M1", "LIVE", ", \"serviceItemCode\": \"事项 42\""), "serviceItemCode"),
                Arguments.of("malformed effective date", rollout("SH-2023-03-M1", "LIVE", ", \"effectiveDate\": \"2026/11/21\""), "effectiveDate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRollouts")
    void badRolloutIsRefusedFieldByFieldAndNothingIsPublished(String what, String body, String field) {
        long before = published(TOPIC);
        HttpResponse<String> r = post(body);
        assertStatus(r, 400);
        assertThat(JSON.readTree(r.body()).path("errors").valueStream().map(e -> e.path("field").asString()).toList()).contains(field);
        assertThat(published(TOPIC)).isEqualTo(before);
    }

    @Test
    void spreadsheetColumnsCarryCoverage() {
        String csv = "案例编号,区代码,发生时间,举措编号,阶段,已覆盖,总数,覆盖单位\n"
                + "SH-2023-03,310116,2026-11-02,SH-2023-03-M2,PILOT,4,30,楼宇\n";
        HttpResponse<String> r = TestPlatform.upload(port, "/api/v1/rollouts/import", JINSHAN, "rollouts.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertStatus(r, 202);
        assertThat(JSON.readTree(r.body()).path("accepted").asInt()).isEqualTo(1);
    }
}
