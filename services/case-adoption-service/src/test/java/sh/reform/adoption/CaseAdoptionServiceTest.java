package sh.reform.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.shared.testing.TestPlatform.assertStatus;
import static sh.reform.shared.testing.TestPlatform.districtToken;
import static sh.reform.shared.testing.TestPlatform.published;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.local.infra.RealInfra;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The adoption service against a real broker and a real registry. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseAdoptionServiceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String JINSHAN = districtToken("310116");
    static final String TOPIC = Topics.CASE_ADOPTION.name();

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
    ReportingEngine<CaseAdoptionReported> engine;

    void ready() throws InterruptedException {
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        long deadline = System.currentTimeMillis() + 30_000;
        while (follower.current().cases().size() < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.index().awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    }

    static String adoption(String eventId, String caseId, String district, String extra) {
        return """
                {"eventId": "%s", "caseId": "%s", "districtCode": "%s", "occurredAt": "2026-11-20T10:00:00+08:00",
                 "decision": "ADOPTED", "leadAgency": "金山区市场监管局", "targetDate": "2027-06-30"%s}
                """.formatted(eventId, caseId, district, extra);
    }

    HttpResponse<String> post(String token, String body) {
        return TestPlatform.send(port, "POST", "/api/v1/adoptions", token, body, Map.of());
    }

    @Test
    @Order(1)
    void jinshanReportsAnAdoptionThatLandsOnTheTopicAsAvroWithCloudEventsAndTheReporter() throws Exception {
        ready();
        String id = UUID.randomUUID().toString();
        HttpResponse<String> r = post(JINSHAN, adoption(id, "SH-2023-03", "310116", ", \"plannedMeasureIds\": [\"SH-2023-03-M1\"]"));
        assertStatus(r, 202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("eventId").asString()).isEqualTo(id);
        assertThat(body.path("topic").asString()).isEqualTo(TOPIC);

        ConsumerRecord<byte[], byte[]> rec = TestPlatform.readAll(TOPIC).stream()
                .filter(x -> x.partition() == body.path("partition").asInt() && x.offset() == body.path("offset").asLong())
                .findFirst().orElseThrow();
        assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo("SH-2023-03|310116");
        CaseAdoptionReported e = (CaseAdoptionReported) new AvroDeserializer(
                new SchemaRegistryClient(RealInfra.registry().confluentApiUrl()), true).deserialize(TOPIC, rec.value());
        assertThat(e.getDecision()).isEqualTo(AdoptionDecision.ADOPTED);
        assertThat(e.getEnvelope().getReporter().getPrincipal()).isEqualTo("district-310116");
        assertThat(e.getEnvelope().getReporter().getAgency()).isEqualTo("310116 发展改革委");
        assertThat(e.getEnvelope().getOccurredAt()).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
        assertThat(e.getPlannedMeasureIds()).containsExactly("SH-2023-03-M1");
        assertThat(CloudEventHeaders.read(rec.headers()).orElseThrow().id()).isEqualTo(id);
        assertThat(CloudEventHeaders.get(rec.headers(), "ce_type")).isEqualTo("sh.reform.case-adoption.reported.v1");
        assertThat(CloudEventHeaders.get(rec.headers(), "ce_specversion")).isEqualTo("1.0");
    }

    @Test
    @Order(2)
    void repeatingARequestReturnsTheSameAnswerAndPublishesNothingNew() throws Exception {
        ready();
        String body = adoption(UUID.randomUUID().toString(), "SH-2023-04", "310116", "");
        HttpResponse<String> first = post(JINSHAN, body);
        assertStatus(first, 202);
        long before = published(TOPIC);
        HttpResponse<String> again = post(JINSHAN, body);
        assertStatus(again, 202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(published(TOPIC)).isEqualTo(before);
    }

    @Test
    @Order(3)
    void sameEventIdWithOtherContentGets409() throws Exception {
        ready();
        String id = UUID.randomUUID().toString();
        assertStatus(post(JINSHAN, adoption(id, "SH-2023-05", "310116", "")), 202);
        long before = published(TOPIC);
        HttpResponse<String> r = post(JINSHAN, adoption(id, "SH-2023-05", "310116", ", \"note\": \"改了内容\""));
        assertStatus(r, 409);
        assertThat(JSON.readTree(r.body()).path("detailZh").asString()).contains(id);
        assertThat(published(TOPIC)).isEqualTo(before);
    }

    @Test
    @Order(4)
    void idempotencyKeyHeaderMakesARetrySafe() throws Exception {
        ready();
        String body = """
                {"caseId": "SH-2023-06", "districtCode": "310116", "occurredAt": "2026-11-20", "decision": "INTENDS"}
                """;
        Map<String, String> key = Map.of("Idempotency-Key", "jinshan-2026-11-20-case-06");
        HttpResponse<String> a = TestPlatform.send(port, "POST", "/api/v1/adoptions", JINSHAN, body, key);
        long before = published(TOPIC);
        HttpResponse<String> b = TestPlatform.send(port, "POST", "/api/v1/adoptions", JINSHAN, body, key);
        assertStatus(a, 202);
        assertThat(b.body()).isEqualTo(a.body());
        assertThat(published(TOPIC)).isEqualTo(before);
    }

    @Test
    @Order(5)
    void aDistrictReportsOnlyForItselfAndEveryWriteNeedsAToken() throws Exception {
        ready();
        long before = published(TOPIC);
        HttpResponse<String> forJingan = post(JINSHAN, adoption(UUID.randomUUID().toString(), "SH-2023-01", "310106", ""));
        assertStatus(forJingan, 403);
        JsonNode p = JSON.readTree(forJingan.body());
        assertThat(p.path("detailZh").asString()).contains("静安区").contains("只能报送本区");
        assertThat(p.path("title").asString()).isEqualTo("无权执行此操作");
        HttpResponse<String> noToken = post(null, adoption(UUID.randomUUID().toString(), "SH-2023-01", "310116", ""));
        assertStatus(noToken, 401);
        assertThat(JSON.readTree(noToken.body()).path("code").asString()).isEqualTo("unauthenticated");
        assertThat(JSON.readTree(noToken.body()).path("titleZh").asString()).isEqualTo("未登录或令牌无效");
        assertStatus(post("not-a-token", adoption(UUID.randomUUID().toString(), "SH-2023-01", "310116", "")), 401);
        String forged = sh.reform.shared.security.LocalTokens.district("another-secret-of-at-least-32-bytes!!", "310116", null, Duration.ofHours(1));
        assertStatus(post(forged, adoption(UUID.randomUUID().toString(), "SH-2023-01", "310116", "")), 401);
        HttpResponse<String> city = post(TestPlatform.cityOfficeToken(), adoption(UUID.randomUUID().toString(), "SH-2023-01", "310106", ""));
        assertStatus(city, 202);
        assertThat(published(TOPIC)).isEqualTo(before + 1);
    }

    static Stream<Arguments> badInput() {
        String ok = UUID.randomUUID().toString();
        return Stream.of(
                Arguments.of("missing case id", "{\"eventId\":\"" + ok + "\",\"districtCode\":\"310116\",\"occurredAt\":\"2026-11-20\",\"decision\":\"ADOPTED\"}", "caseId"),
                Arguments.of("unknown case", adoption(ok, "SH-2023-99", "310116", ""), "caseId"),
                Arguments.of("missing district", "{\"eventId\":\"" + ok + "\",\"caseId\":\"SH-2023-01\",\"occurredAt\":\"2026-11-20\",\"decision\":\"ADOPTED\"}", "districtCode"),
                Arguments.of("unknown district code", adoption(ok, "SH-2023-01", "319999", ""), "districtCode"),
                Arguments.of("origin district adopting its own case", adoption(ok, "SH-2023-01", "310116", "").replace("SH-2023-01", "SH-2023-10"), "districtCode"),
                Arguments.of("event id not a UUID", adoption("not-a-uuid", "SH-2023-01", "310116", "").replace("SH-2023-01", "SH-2023-02"), "eventId"),
                Arguments.of("missing occurred-at", "{\"eventId\":\"" + ok + "\",\"caseId\":\"SH-2023-02\",\"districtCode\":\"310116\",\"decision\":\"ADOPTED\"}", "occurredAt"),
                Arguments.of("malformed occurred-at", adoption(ok, "SH-2023-02", "310116", "").replace("2026-11-20T10:00:00+08:00", "20/11/2026"), "occurredAt"),
                Arguments.of("occurred-at in the future", adoption(ok, "SH-2023-02", "310116", "").replace("2026-11-20T10:00:00+08:00", "2099-01-01T00:00:00+08:00"), "occurredAt"),
                Arguments.of("occurred-at before 2019", adoption(ok, "SH-2023-02", "310116", "").replace("2026-11-20T10:00:00+08:00", "2010-01-01T00:00:00+08:00"), "occurredAt"),
                Arguments.of("missing decision", adoption(ok, "SH-2023-02", "310116", "").replace("\"decision\": \"ADOPTED\",", ""), "decision"),
                Arguments.of("unknown decision", adoption(ok, "SH-2023-02", "310116", "").replace("ADOPTED", "MAYBE"), "decision"),
                Arguments.of("malformed target date", adoption(ok, "SH-2023-02", "310116", "").replace("2027-06-30", "next June"), "targetDate"),
                Arguments.of("measure of another case", adoption(ok, "SH-2023-02", "310116", ", \"plannedMeasureIds\": [\"SH-2023-01-M1\"]"), "plannedMeasureIds"),
                Arguments.of("unknown source", adoption(ok, "SH-2023-02", "310116", ", \"source\": \"FAX\""), "source"),
                Arguments.of("case id of the wrong type", adoption(ok, "SH-2023-02", "310116", "").replace("\"caseId\": \"SH-2023-02\"", "\"caseId\": {\"id\": 1}"), "caseId"),
                Arguments.of("note too long", adoption(ok, "SH-2023-02", "310116", ", \"note\": \"" + "长".repeat(2001) + "\""), "note"),
                Arguments.of("body not JSON", "{\"caseId\": ", null),
                Arguments.of("body a JSON array", "[]", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    @Order(6)
    void badInputGetsA400NamingTheFieldAndPublishesNothing(String what, String body, String field) throws Exception {
        ready();
        long before = published(TOPIC);
        HttpResponse<String> r = post(JINSHAN, body);
        assertStatus(r, 400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("titleZh").asString()).isNotBlank();
        assertThat(p.path("titleEn").asString()).isNotBlank();
        if (field != null) {
            assertThat(p.path("errors").valueStream().map(e -> e.path("field").asString()).toList()).contains(field);
            assertThat(p.path("errors").valueStream().map(e -> e.path("messageZh").asString())).allSatisfy(m -> assertThat(m).isNotBlank());
        }
        assertThat(published(TOPIC)).isEqualTo(before);
    }

    @Test
    @Order(7)
    void aBatchIsAllOrNothing() throws Exception {
        ready();
        String a = adoption(UUID.randomUUID().toString(), "SH-2023-07", "310116", "");
        String b = adoption(UUID.randomUUID().toString(), "SH-2023-08", "310116", "");
        String bad = adoption(UUID.randomUUID().toString(), "SH-2023-09", "310116", "").replace("ADOPTED", "NOPE");
        long before = published(TOPIC);
        HttpResponse<String> refused = TestPlatform.send(port, "POST", "/api/v1/adoptions/batch", JINSHAN, "[" + a + "," + b + "," + bad + "]", Map.of());
        assertStatus(refused, 400);
        assertThat(JSON.readTree(refused.body()).path("errors").get(0).path("field").asString()).isEqualTo("reports[2].decision");
        assertThat(published(TOPIC)).isEqualTo(before);

        HttpResponse<String> ok = TestPlatform.send(port, "POST", "/api/v1/adoptions/batch", JINSHAN, "{\"reports\": [" + a + "," + b + "]}", Map.of());
        assertStatus(ok, 202);
        assertThat(JSON.readTree(ok.body()).path("count").asInt()).isEqualTo(2);
        assertThat(published(TOPIC)).isEqualTo(before + 2);
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(1001, a)) + "]";
        assertStatus(TestPlatform.send(port, "POST", "/api/v1/adoptions/batch", JINSHAN, tooMany, Map.of()), 400);
    }

    @Test
    @Order(8)
    void csvImportReportsEachBadRowAndPublishesNothingUnlessAskedForValidRowsOnly() throws Exception {
        ready();
        String csv = "案例编号,区代码,发生时间,决定,牵头单位,目标日期\n"
                + "SH-2023-11,310116,2026-11-01,ADOPTED,金山区市场监管局,2027-03-31\n"
                + "SH-2023-12,310116,2026-11-01,PERHAPS,,\n"
                + "SH-2023-13,310106,2026-11-01,ADOPTED,,\n";
        long before = published(TOPIC);
        HttpResponse<String> r = TestPlatform.upload(port, "/api/v1/adoptions/import", JINSHAN, "adoptions.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertStatus(r, 400);
        List<String> fields = JSON.readTree(r.body()).path("errors").valueStream().map(e -> e.path("field").asString()).toList();
        assertThat(fields).containsExactlyInAnyOrder("rows[3].decision", "rows[4].districtCode");
        assertThat(published(TOPIC)).isEqualTo(before);

        HttpResponse<String> valid = TestPlatform.upload(port, "/api/v1/adoptions/import?mode=VALID_ONLY", JINSHAN, "adoptions.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertStatus(valid, 202);
        JsonNode report = JSON.readTree(valid.body());
        assertThat(report.path("accepted").asInt()).isEqualTo(1);
        assertThat(report.path("rejectedRows").asInt()).isEqualTo(2);
        long afterFirst = TestPlatform.published(TOPIC);
        assertThat(afterFirst).isGreaterThan(before);

        HttpResponse<String> again = TestPlatform.upload(port, "/api/v1/adoptions/import?mode=VALID_ONLY", JINSHAN, "adoptions.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(JSON.readTree(again.body()).path("duplicates").asInt()).isEqualTo(1);
        assertThat(TestPlatform.published(TOPIC)).isEqualTo(afterFirst);
    }

    @Test
    @Order(9)
    void excelImportReadsDatesAndChineseHeaders() throws Exception {
        ready();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            var sheet = wb.createSheet("复制推广");
            var h = sheet.createRow(0);
            String[] headers = {"案例编号", "区代码", "发生时间", "决定", "目标日期"};
            for (int i = 0; i < headers.length; i++) {
                h.createCell(i).setCellValue(headers[i]);
            }
            var dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            var row = sheet.createRow(1);
            row.createCell(0).setCellValue("SH-2023-14");
            row.createCell(1).setCellValue(310116);
            var c = row.createCell(2);
            c.setCellValue(java.time.LocalDate.of(2026, 10, 8));
            c.setCellStyle(dateStyle);
            row.createCell(3).setCellValue("INTENDS");
            var t = row.createCell(4);
            t.setCellValue(java.time.LocalDate.of(2027, 12, 31));
            t.setCellStyle(dateStyle);
            wb.write(out);
        }
        HttpResponse<String> r = TestPlatform.upload(port, "/api/v1/adoptions/import", JINSHAN, "复制推广.xlsx", out.toByteArray());
        assertStatus(r, 202);
        assertThat(JSON.readTree(r.body()).path("accepted").asInt()).isEqualTo(1);
    }

    @Test
    @Order(10)
    void openApiAndTemplateAreServed() throws Exception {
        HttpResponse<String> doc = TestPlatform.send(port, "GET", "/v3/api-docs", null, null, Map.of());
        assertStatus(doc, 200);
        assertThat(JSON.readTree(doc.body()).path("paths").has("/api/v1/adoptions/batch")).isTrue();
        HttpResponse<String> tpl = TestPlatform.send(port, "GET", "/api/v1/adoptions/template.csv", null, null, Map.of());
        assertThat(tpl.body()).contains("案例编号");
    }

    @Test
    @Order(20)
    void withTheBrokerStoppedAReportGets503FastAndTheRetryLandsOnce() throws Exception {
        ready();
        String id = UUID.randomUUID().toString();
        String body = adoption(id, "SH-2023-15", "310116", "");
        RealInfra.broker().stop();
        try {
            long start = System.nanoTime();
            HttpResponse<String> r = post(JINSHAN, body);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertStatus(r, 503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        } finally {
            RealInfra.replaceBroker(RealInfra.broker().restart());
        }
        HttpResponse<String> retry = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            retry = post(JINSHAN, body);
            if (retry.statusCode() == 202) {
                break;
            }
            Thread.sleep(500);
        }
        assertStatus(retry, 202);
        long copies = TestPlatform.readAll(TOPIC).stream()
                .filter(x -> id.equals(CloudEventHeaders.get(x.headers(), CloudEventHeaders.ID))).count();
        assertThat(copies).isEqualTo(1);
    }

    @Test
    @Order(21)
    void whileTheBrokerRestartsEveryReportOfAStreamLandsExactlyOnce() throws Exception {
        ready();
        int n = 60;
        List<String> ids = new java.util.ArrayList<>();
        String[] cases = {"SH-2023-16", "SH-2023-17", "SH-2023-18", "SH-2023-19", "SH-2023-20"};
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        Thread restarter = new Thread(() -> {
            while (sent.get() < n / 3) {
                Thread.onSpinWait();
            }
            RealInfra.replaceBroker(RealInfra.broker().restart());
        });
        restarter.start();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            String body = adoption(id, cases[i % cases.length], "310116", ", \"note\": \"stream " + i + "\"");
            long deadline = System.currentTimeMillis() + 90_000;
            HttpResponse<String> r = post(JINSHAN, body);
            // The documented client behaviour: on 503, retry the same request (same event id) after Retry-After.
            while (r.statusCode() == 503 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                r = post(JINSHAN, body);
            }
            assertStatus(r, 202);
            sent.incrementAndGet();
        }
        restarter.join();
        java.util.Set<String> wanted = new java.util.HashSet<>(ids);
        Map<String, Long> copies = TestPlatform.readAll(TOPIC).stream()
                .map(x -> CloudEventHeaders.get(x.headers(), CloudEventHeaders.ID)).filter(wanted::contains)
                .collect(java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()));
        assertThat(copies).hasSize(n);
        assertThat(copies.values()).allMatch(c -> c == 1L);
    }

    @Test
    @Order(22)
    void withTheRegistryUnreachableAReportGets503AndNothingIsWrittenUntilItReturns() throws Exception {
        ready();
        // A client with its own (empty) schema cache, as a freshly started service would have.
        try (ReportingEngine<CaseAdoptionReported> fresh = new ReportingEngine<>(kind, follower,
                RealInfra.broker().bootstrapServers(), RealInfra.registry().confluentApiUrl(),
                Map.of(sh.reform.shared.serde.AvroSerdeConfig.REQUEST_TIMEOUT_MS, "2999"), java.time.Clock.systemUTC(), null)) {
            assertThat(fresh.index().awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            String id = UUID.randomUUID().toString();
            JsonNode body = JSON.readTree(adoption(id, "SH-2023-16", "310116", ""));
            var who = sh.reform.shared.security.ReformPrincipal.of(
                    org.springframework.security.oauth2.jwt.Jwt.withTokenValue("t").header("alg", "HS256").subject("district-310116")
                            .claim("role", "DISTRICT").claim("district", "310116").build());
            long before = TestPlatform.published(TOPIC);
            RealInfra.registry().stop();
            try {
                long start = System.nanoTime();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> fresh.reportOne(body, null, who))
                        .isInstanceOfSatisfying(sh.reform.shared.web.ApiProblemException.class, e -> {
                            assertThat(e.status().value()).isEqualTo(503);
                            assertThat(e.retryAfter()).isNotNull();
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                assertThat(TestPlatform.published(TOPIC)).isEqualTo(before);
            } finally {
                RealInfra.replaceRegistry(RealInfra.registry().restart());
            }
            var receipt = fresh.reportOne(body, null, who);
            assertThat(receipt.eventId()).isEqualTo(id);
            assertThat(fresh.reportOne(body, null, who).duplicate()).isTrue();
            assertThat(TestPlatform.readAll(TOPIC).stream()
                    .filter(x -> id.equals(CloudEventHeaders.get(x.headers(), CloudEventHeaders.ID))).count()).isEqualTo(1);
        }
    }

    @Autowired
    AdoptionKind kind;
}
