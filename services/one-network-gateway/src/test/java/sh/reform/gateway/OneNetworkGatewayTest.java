package sh.reform.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static sh.reform.shared.testing.TestPlatform.assertStatus;
import static sh.reform.shared.testing.TestPlatform.published;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.catalog.Jurisdiction;
import sh.reform.gateway.mapping.Mapping;
import sh.reform.gateway.outbound.StatusFeed;
import sh.reform.gateway.outbound.WebhookDispatcher;
import sh.reform.gateway.signing.RequestSigner;
import sh.reform.gateway.store.KafkaJsonStore;
import sh.reform.local.infra.RealInfra;
import sh.reform.schema.common.ReportSource;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway against a real broker and registry, with the real rollout and outcome services in
 * the same JVM: signed requests in, reports on the event topics, the review queue, and webhooks out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reform.gateway.signature.apps-file-check-interval=0s",
        "reform.gateway.outbound.backoff-base=50ms",
        "reform.gateway.outbound.backoff-max=400ms",
        "reform.gateway.outbound.max-attempts=4",
        "reform.gateway.outbound.request-timeout=2s",
        "logging.level.org.apache.kafka=WARN"})
class OneNetworkGatewayTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final String SERVICES_APP = "ywtb-city";
    static final String SERVICES_SECRET = "services-secret-for-tests-only-0123456789";
    static final String OPERATIONS_APP = "ywtg-city";
    static final String OPERATIONS_SECRET = "operations-secret-for-tests-only-0123456789";
    static final String ROTATING_APP = "ywtb-rotating";
    static final String OLD_SECRET = "rotating-old-secret-for-tests-0123456789";
    static final String NEW_SECRET = "rotating-new-secret-for-tests-9876543210";
    static final String ITEMS = "/api/v1/one-network/services/items";
    static final String MONTHLY = "/api/v1/one-network/services/monthly-reports";
    static final String OPERATIONS = "/api/v1/one-network/operations/records";
    static final String CITY = TestPlatform.cityOfficeToken();
    static Path apps;

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestPlatform.kafkaProperties(r);
        r.add("reform.gateway.apps-file", () -> writeApps(OLD_SECRET, null).toString());
        r.add("reform.gateway.reporting.rollout-url", () -> "http://127.0.0.1:" + InJvmReportingServices.rollout());
        r.add("reform.gateway.reporting.outcome-url", () -> "http://127.0.0.1:" + InJvmReportingServices.outcome());
    }

    static synchronized Path writeApps(String rotatingSecret, String rotatingPrevious) {
        try {
            if (apps == null) {
                apps = Files.createTempFile("one-network-apps", ".yaml");
            }
            Files.writeString(apps, """
                    apps:
                      - appKey: %s
                        name: 一网通办
                        agency: 上海市大数据中心
                        secret: "%s"
                      - appKey: %s
                        name: 一网统管
                        secret: "%s"
                      - appKey: %s
                        secret: "%s"
                    %s""".formatted(SERVICES_APP, SERVICES_SECRET, OPERATIONS_APP, OPERATIONS_SECRET, ROTATING_APP, rotatingSecret,
                    rotatingPrevious == null ? "" : "    previousSecret: \"" + rotatingPrevious + "\"\n"));
            return apps;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void catalog() {
        TestPlatform.publishSeedCatalog();
    }

    @AfterAll
    static void removeApps() throws IOException {
        if (apps != null) {
            Files.deleteIfExists(apps);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    CatalogFollower follower;
    @Autowired
    StatusFeed feed;
    @Autowired
    KafkaJsonStore<Mapping> mappingTable;

    @BeforeEach
    void ready() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (follower.current().cases().size() < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        await().atMost(Duration.ofSeconds(30)).until(feed::live);
    }

    // ---- signed requests ------------------------------------------------------------------

    HttpResponse<String> signed(String appKey, String secret, String path, String contentType, String body, Map<String, String> extra) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(new RequestSigner(appKey, secret).sign("POST", path, bytes));
        headers.putAll(extra);
        return post(path, contentType, bytes, headers);
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return TestPlatform.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> item(String appKey, String secret, String body) {
        return signed(appKey, secret, ITEMS, "application/json", body, Map.of());
    }

    static String notification(String messageId, String event, String itemCode, String district) {
        return """
                {"messageId": "%s", "event": "%s", "itemCode": "%s", "itemName": "开店一件事", "districtCode": "%s", "date": "%s"}
                """.formatted(messageId, event, itemCode, district, LocalDate.now(SHANGHAI));
    }

    HttpResponse<String> city(String method, String path, String body) {
        return TestPlatform.send(port, method, path, CITY, body, Map.of());
    }

    void mapItem(String itemCode, String caseId, String measureId) {
        assertStatus(city("PUT", "/api/v1/one-network/mappings/service-items/" + itemCode,
                "{\"caseId\": \"%s\", \"measureId\": \"%s\"}".formatted(caseId, measureId)), 200);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static Object eventAt(String topic, JsonNode receipt) {
        return eventsAt(topic, List.of(receipt)).get(0);
    }

    /** The events the receipts point at, in the receipts' order, from one read of the topic. */
    static List<Object> eventsAt(String topic, List<JsonNode> receipts) {
        Map<String, ConsumerRecord<byte[], byte[]>> byPosition = new HashMap<>();
        TestPlatform.readAll(topic).forEach(x -> byPosition.put(x.partition() + "@" + x.offset(), x));
        AvroDeserializer avro = new AvroDeserializer(new SchemaRegistryClient(RealInfra.registry().confluentApiUrl()), true);
        return receipts.stream().map(r -> avro.deserialize(topic, byPosition.get(r.path("partition").asInt() + "@" + r.path("offset").asLong()).value()))
                .toList();
    }

    static String eventIdOf(String system, String messageId) {
        return UUID.nameUUIDFromBytes((system + "|" + messageId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---- authentication -------------------------------------------------------------------

    @Test
    void badSignatureStaleTimestampUnknownKeyAndReplayedNonceGet401WithAReasonAndPublishNothing() {
        mapItem("310113-SIG-0001", "SH-2023-13", "SH-2023-13-M2");
        String body = notification("SIG-" + UUID.randomUUID(), "LAUNCHED", "310113-SIG-0001", "310113");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long rolloutsBefore = published(Topics.MEASURE_ROLLOUT.name());
        long reviewBefore = published("reform.gateway.review");

        Map<String, String> wrong = new RequestSigner(SERVICES_APP, "not-the-secret-of-this-app-0123456789").sign("POST", ITEMS, bytes);
        Map<String, String> stale = new RequestSigner(SERVICES_APP, SERVICES_SECRET).sign("POST", ITEMS, bytes,
                Instant.now().minus(Duration.ofMinutes(6)).toEpochMilli(), "stale-nonce-" + UUID.randomUUID());
        Map<String, String> unknown = new RequestSigner("who-is-this", SERVICES_SECRET).sign("POST", ITEMS, bytes);
        Map<String, String> none = Map.of();
        Map<String, String> otherBody = new RequestSigner(SERVICES_APP, SERVICES_SECRET).sign("POST", ITEMS, "{}".getBytes(StandardCharsets.UTF_8));
        Map<String, List<String>> expected = Map.of(
                "bad-signature", List.of("签名不正确", "wrong signature"),
                "stale-timestamp", List.of("时间戳", "timestamp"),
                "unknown-app-key", List.of("未登记", "unknown app key"),
                "signature-missing", List.of("缺少签名", "missing"));
        List<Map.Entry<String, Map<String, String>>> cases = List.of(Map.entry("bad-signature", wrong), Map.entry("stale-timestamp", stale),
                Map.entry("unknown-app-key", unknown), Map.entry("signature-missing", none), Map.entry("bad-signature", otherBody));
        for (var c : cases) {
            HttpResponse<String> r = post(ITEMS, "application/json", bytes, c.getValue());
            assertStatus(r, 401);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            JsonNode p = json(r);
            assertThat(p.path("code").asString()).as(r.body()).isEqualTo(c.getKey());
            assertThat(p.path("detailZh").asString()).contains(expected.get(c.getKey()).get(0));
            assertThat(p.path("detailEn").asString()).contains(expected.get(c.getKey()).get(1));
        }
        assertThat(published(Topics.MEASURE_ROLLOUT.name())).isEqualTo(rolloutsBefore);

        Map<String, String> good = new RequestSigner(SERVICES_APP, SERVICES_SECRET).sign("POST", ITEMS, bytes);
        assertStatus(post(ITEMS, "application/json", bytes, good), 202);
        long afterGood = published(Topics.MEASURE_ROLLOUT.name());
        assertThat(afterGood).isEqualTo(rolloutsBefore + 1);
        HttpResponse<String> replay = post(ITEMS, "application/json", bytes, good);
        assertStatus(replay, 401);
        assertThat(json(replay).path("code").asString()).isEqualTo("replayed-nonce");
        assertThat(published(Topics.MEASURE_ROLLOUT.name())).isEqualTo(afterGood);
        assertThat(published("reform.gateway.review")).isEqualTo(reviewBefore);
    }

    @Test
    void aRotatedSecretIsTakenWithoutRestartWhileThePreviousOneStillWorks() {
        String body = notification("ROT-" + UUID.randomUUID(), "LAUNCHED", "310113-ROT-0001", "310113");
        writeApps(NEW_SECRET, OLD_SECRET);
        assertStatus(item(ROTATING_APP, NEW_SECRET, body), 202);
        assertStatus(item(ROTATING_APP, OLD_SECRET, body), 202);
        writeApps(NEW_SECRET, null);
        HttpResponse<String> old = item(ROTATING_APP, OLD_SECRET, body);
        assertStatus(old, 401);
        assertThat(json(old).path("code").asString()).isEqualTo("bad-signature");
        assertStatus(item(ROTATING_APP, NEW_SECRET, body), 202);
    }

    // ---- inbound through the reporting path -----------------------------------------------

    @Test
    void aSignedLaunchOfAMappedItemBecomesALiveRolloutAndARedeliveryPublishesNothingNew() {
        mapItem("310113-KD-0001", "SH-2023-13", "SH-2023-13-M2");
        String messageId = "YWTB-" + UUID.randomUUID();
        String body = notification(messageId, "LAUNCHED", "310113-KD-0001", "310113");
        HttpResponse<String> r = item(SERVICES_APP, SERVICES_SECRET, body);
        assertStatus(r, 202);
        JsonNode a = json(r);
        assertThat(a.path("published").asInt()).isEqualTo(1);
        JsonNode receipt = a.path("receipts").get(0);
        assertThat(receipt.path("topic").asString()).isEqualTo(Topics.MEASURE_ROLLOUT.name());

        MeasureRolloutReported e = (MeasureRolloutReported) eventAt(Topics.MEASURE_ROLLOUT.name(), receipt);
        assertThat(e.getStage()).isEqualTo(RolloutStage.LIVE);
        assertThat(e.getMeasureId()).isEqualTo("SH-2023-13-M2");
        assertThat(e.getServiceItemCode()).isEqualTo("310113-KD-0001");
        assertThat(e.getEffectiveDate()).isEqualTo(LocalDate.now(SHANGHAI));
        assertThat(e.getEnvelope().getEventId()).isEqualTo(eventIdOf("ONE_NETWORK_SERVICES", messageId));
        assertThat(e.getEnvelope().getSource()).isEqualTo(ReportSource.ONE_NETWORK_SERVICES);
        assertThat(e.getEnvelope().getReporter().getPrincipal()).isEqualTo(SERVICES_APP);
        assertThat(e.getEnvelope().getReporter().getRole().name()).isEqualTo("INTEGRATION");
        assertThat(e.getEnvelope().getNote()).contains("一网通办事项上线", messageId);

        long after = published(Topics.MEASURE_ROLLOUT.name());
        HttpResponse<String> again = item(SERVICES_APP, SERVICES_SECRET, body);
        assertStatus(again, 202);
        assertThat(json(again).path("duplicates").asInt()).isEqualTo(1);
        assertThat(json(again).path("published").asInt()).isZero();
        assertThat(published(Topics.MEASURE_ROLLOUT.name())).isEqualTo(after);

        HttpResponse<String> withdrawn = item(SERVICES_APP, SERVICES_SECRET, notification("YWTB-" + UUID.randomUUID(), "WITHDRAWN", "310113-KD-0001", "310113"));
        assertStatus(withdrawn, 202);
        assertThat(((MeasureRolloutReported) eventAt(Topics.MEASURE_ROLLOUT.name(), json(withdrawn).path("receipts").get(0))).getStage())
                .isEqualTo(RolloutStage.SUSPENDED);
    }

    @Test
    void anUnmappedItemWaitsForReviewAndResolvingItWithAMappingPublishesIt() {
        String messageId = "YWTB-" + UUID.randomUUID();
        String code = "310113-NEW-" + (1000 + (int) (Math.random() * 8999));
        String body = notification(messageId, "LAUNCHED", code, "310113");
        long before = published(Topics.MEASURE_ROLLOUT.name());
        HttpResponse<String> r = item(SERVICES_APP, SERVICES_SECRET, body);
        assertStatus(r, 202);
        assertThat(json(r).path("published").asInt()).isZero();
        assertThat(json(r).path("queuedForReview").asInt()).isEqualTo(1);
        String reviewId = json(r).path("review").get(0).path("reviewId").asString();
        assertThat(published(Topics.MEASURE_ROLLOUT.name())).isEqualTo(before);

        assertStatus(TestPlatform.send(port, "GET", "/api/v1/one-network/review", null, null, Map.of()), 401);
        assertStatus(TestPlatform.send(port, "GET", "/api/v1/one-network/review", TestPlatform.districtToken("310113"), null, Map.of()), 403);
        HttpResponse<String> queue = city("GET", "/api/v1/one-network/review", null);
        assertStatus(queue, 200);
        assertThat(json(queue).valueStream().map(i -> i.path("key").asString()).toList()).contains(code);

        HttpResponse<String> resolved = city("POST", "/api/v1/one-network/review/" + reviewId + "/resolve",
                "{\"action\": \"MAP\", \"mapping\": {\"caseId\": \"SH-2023-13\", \"measureId\": \"SH-2023-13-M1\"}}");
        assertStatus(resolved, 200);
        JsonNode item = json(resolved).path("item");
        assertThat(item.path("status").asString()).isEqualTo("RESOLVED");
        assertThat(item.path("resolvedBy").asString()).isEqualTo("city-office-test");
        MeasureRolloutReported e = (MeasureRolloutReported) eventAt(Topics.MEASURE_ROLLOUT.name(), item.path("published").get(0));
        assertThat(e.getMeasureId()).isEqualTo("SH-2023-13-M1");
        assertThat(e.getEnvelope().getEventId()).isEqualTo(eventIdOf("ONE_NETWORK_SERVICES", messageId));
        assertThat(e.getEnvelope().getReporter().getPrincipal()).isEqualTo(SERVICES_APP);

        JsonNode mapping = json(city("GET", "/api/v1/one-network/mappings/service-items/" + code, null));
        assertThat(mapping.path("version").asInt()).isEqualTo(1);
        assertThat(mapping.path("changedBy").asString()).isEqualTo("city-office-test");

        long afterResolve = published(Topics.MEASURE_ROLLOUT.name());
        HttpResponse<String> redelivered = item(SERVICES_APP, SERVICES_SECRET, body);
        assertThat(json(redelivered).path("duplicates").asInt()).isEqualTo(1);
        assertThat(json(redelivered).path("queuedForReview").asInt()).isZero();
        assertThat(published(Topics.MEASURE_ROLLOUT.name())).isEqualTo(afterResolve);
        assertStatus(city("POST", "/api/v1/one-network/review/" + reviewId + "/resolve", "{\"action\": \"RETRY\"}"), 409);
    }

    @Test
    void aMonthlyReportCsvForAll16DistrictsGivesOneOutcomePerDistrictAndMappedFigureAndQueuesTheUnmappedOne() {
        assertStatus(city("PUT", "/api/v1/one-network/mappings/service-figures/" + enc("网办率"),
                "{\"targets\": [{\"districtCode\": \"*\", \"caseId\": \"SH-2023-15\", \"metricId\": \"YWTB-WBL\", \"metricName\": \"网办率\", \"unit\": \"%\"}]}"), 200);
        assertStatus(city("PUT", "/api/v1/one-network/mappings/service-figures/" + enc("全程网办率"),
                "{\"targets\": [{\"caseId\": \"SH-2023-15\", \"metricId\": \"YWTB-QCWBL\", \"metricName\": \"全程网办率\", \"unit\": \"%\"}]}"), 200);
        String month = YearMonth.now(SHANGHAI).minusMonths(1).toString();
        List<Jurisdiction> districts = follower.current().districts();
        assertThat(districts).hasSize(16);
        StringBuilder csv = new StringBuilder("区代码,区名,月份,网办率,全程网办率,办件量\n");
        for (int i = 0; i < districts.size(); i++) {
            csv.append(districts.get(i).code()).append(',').append(districts.get(i).nameZh()).append(',').append(month).append(',')
                    .append(40 + i).append(".5%,").append(30 + i).append(",\"12,3").append(10 + i).append("\"\n");
        }
        long before = published(Topics.OUTCOME_REPORTING.name());
        HttpResponse<String> r = signed(SERVICES_APP, SERVICES_SECRET, MONTHLY, "text/csv; charset=UTF-8", csv.toString(),
                Map.of("X-Message-Id", "YWTB-MONTHLY-" + UUID.randomUUID()));
        assertStatus(r, 202);
        JsonNode a = json(r);
        assertThat(a.path("published").asInt()).isEqualTo(32);
        assertThat(a.path("queuedForReview").asInt()).isEqualTo(16);
        assertThat(a.path("review")).singleElement().satisfies(q -> assertThat(q.path("key").asString()).isEqualTo("办件量"));
        assertThat(published(Topics.OUTCOME_REPORTING.name())).isEqualTo(before + 32);
        assertThat(a.path("receipts").valueStream().map(x -> x.path("partition").asInt() + "@" + x.path("offset").asLong()).toList())
                .hasSize(32).doesNotHaveDuplicates();

        List<OutcomeReported> wbl = new ArrayList<>();
        for (Object e : eventsAt(Topics.OUTCOME_REPORTING.name(), a.path("receipts").valueStream().toList())) {
            OutcomeReported o = (OutcomeReported) e;
            if (o.getMetricId().equals("YWTB-WBL")) {
                wbl.add(o);
            }
        }
        assertThat(wbl).hasSize(16);
        assertThat(wbl).extracting(o -> o.getEnvelope().getDistrictCode()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(districts.stream().map(Jurisdiction::code).toList());
        OutcomeReported first = wbl.stream().filter(o -> o.getEnvelope().getDistrictCode().equals(districts.get(0).code())).findFirst().orElseThrow();
        assertThat(first.getValue()).isEqualTo(40.5);
        assertThat(first.getUnit()).isEqualTo("%");
        assertThat(first.getMetricName()).isEqualTo("网办率");
        assertThat(first.getPeriod()).isEqualTo(month);
        assertThat(first.getEnvelope().getCaseId()).isEqualTo("SH-2023-15");
        assertThat(first.getEnvelope().getSource()).isEqualTo(ReportSource.ONE_NETWORK_SERVICES);

        JsonNode queued = json(city("GET", "/api/v1/one-network/review/" + a.path("review").get(0).path("reviewId").asString(), null));
        assertThat(queued.path("pending").size()).isEqualTo(16);
        assertThat(queued.path("pending").get(0).path("fields").path("value").asDouble()).isEqualTo(12310.0);
    }

    @Test
    void aJsonMonthlyReportForAMonthNotYetOverNeedsReportedAt() {
        assertStatus(city("PUT", "/api/v1/one-network/mappings/service-figures/" + enc("网办率"),
                "{\"targets\": [{\"caseId\": \"SH-2023-15\", \"metricId\": \"YWTB-WBL\", \"metricName\": \"网办率\", \"unit\": \"%\"}]}"), 200);
        String month = YearMonth.now(SHANGHAI).toString();
        String body = "{\"messageId\": \"YWTB-M-%s\", \"month\": \"%s\", %s \"districts\": [{\"districtCode\": \"310113\", \"figures\": {\"网办率\": \"60.00%%\"}}]}";
        String id = UUID.randomUUID().toString();
        HttpResponse<String> early = signed(SERVICES_APP, SERVICES_SECRET, MONTHLY, "application/json", body.formatted(id, month, ""), Map.of());
        assertStatus(early, 400);
        assertThat(json(early).path("errors").get(0).path("field").asString()).isEqualTo("reportedAt");
        HttpResponse<String> r = signed(SERVICES_APP, SERVICES_SECRET, MONTHLY, "application/json",
                body.formatted(id, month, "\"reportedAt\": \"" + Instant.now().minusSeconds(60) + "\","), Map.of());
        assertStatus(r, 202);
        OutcomeReported o = (OutcomeReported) eventAt(Topics.OUTCOME_REPORTING.name(), json(r).path("receipts").get(0));
        assertThat(o.getValue()).isEqualTo(60.0);
        assertThat(o.getPeriod()).isEqualTo(month);
    }

    @Test
    void operationsRecordsBecomeOutcomesThroughTheIndicatorMappingForTheirDistrict() {
        assertStatus(city("PUT", "/api/v1/one-network/mappings/operations-indicators/" + enc("开店综合巡查次数"),
                "{\"targets\": [{\"districtCode\": \"310109\", \"caseId\": \"SH-2023-13\", \"metricId\": \"HK-KDXC\", \"metricName\": \"开店综合巡查次数\", \"unit\": \"次\"}]}"), 200);
        String month = YearMonth.now(SHANGHAI).minusMonths(1).toString();
        String body = """
                {"messageId": "YWTG-%s", "period": "%s", "records": [
                  {"districtCode": "310109", "kind": "INSPECTION", "indicator": "开店综合巡查次数", "count": 35},
                  {"districtCode": "310113", "kind": "INSPECTION", "indicator": "开店综合巡查次数", "count": 12}]}
                """.formatted(UUID.randomUUID(), month);
        HttpResponse<String> r = signed(OPERATIONS_APP, OPERATIONS_SECRET, OPERATIONS, "application/json", body, Map.of());
        assertStatus(r, 202);
        JsonNode a = json(r);
        assertThat(a.path("published").asInt()).isEqualTo(1);
        assertThat(a.path("queuedForReview").asInt()).isEqualTo(1);
        OutcomeReported o = (OutcomeReported) eventAt(Topics.OUTCOME_REPORTING.name(), a.path("receipts").get(0));
        assertThat(o.getEnvelope().getDistrictCode()).isEqualTo("310109");
        assertThat(o.getValue()).isEqualTo(35.0);
        assertThat(o.getUnit()).isEqualTo("次");
        assertThat(o.getEnvelope().getSource()).isEqualTo(ReportSource.ONE_NETWORK_OPERATIONS);
    }

    @Test
    void aRefusalOfTheReportingServiceComesBackToTheCallerAndQueuesNothing() {
        String body = notification("YWTB-" + UUID.randomUUID(), "LAUNCHED", "310113-KD-0001", "310113")
                .replace(LocalDate.now(SHANGHAI).toString(), LocalDate.now(SHANGHAI).plusDays(3).toString());
        mapItem("310113-KD-0001", "SH-2023-13", "SH-2023-13-M2");
        HttpResponse<String> r = item(SERVICES_APP, SERVICES_SECRET, body);
        assertStatus(r, 400);
        assertThat(json(r).path("errors").get(0).path("field").asString()).contains("occurredAt");
    }

    @Test
    void mappingsAreVersionedCheckedAgainstTheCatalogAndReadBackFromTheirTopic() {
        String path = "/api/v1/one-network/mappings/service-items/310116-VER-0001";
        assertThat(json(city("PUT", path, "{\"caseId\": \"SH-2023-13\", \"measureId\": \"SH-2023-13-M1\"}")).path("version").asInt()).isEqualTo(1);
        assertThat(json(city("PUT", path, "{\"caseId\": \"SH-2023-13\", \"measureId\": \"SH-2023-13-M3\", \"expectedVersion\": 1}")).path("version").asInt())
                .isEqualTo(2);
        assertStatus(city("PUT", path, "{\"caseId\": \"SH-2023-13\", \"measureId\": \"SH-2023-13-M4\", \"expectedVersion\": 1}"), 409);
        HttpResponse<String> bad = city("PUT", path, "{\"caseId\": \"SH-2023-13\", \"measureId\": \"SH-2023-01-M1\"}");
        assertStatus(bad, 400);
        assertThat(json(bad).path("errors").get(0).path("code").asString()).isEqualTo("unknown-measure");
        assertStatus(TestPlatform.send(port, "PUT", path, TestPlatform.districtToken("310116"), "{\"caseId\": \"SH-2023-13\", \"measureId\": \"SH-2023-13-M1\"}", Map.of()), 403);

        try (KafkaJsonStore<Mapping> fresh = new KafkaJsonStore<>(RealInfra.broker().bootstrapServers(), mappingTable.topic(), Mapping.class,
                JsonMapper.builder().build())) {
            fresh.start(Duration.ofSeconds(20));
            Mapping m = fresh.get("SERVICE_ITEM/310116-VER-0001").orElseThrow();
            assertThat(m.version()).isEqualTo(2);
            assertThat(m.measure().measureId()).isEqualTo("SH-2023-13-M3");
            assertThat(m.changedBy()).isEqualTo("city-office-test");
            assertThat(m.changedAt()).isNotNull();
        }
    }

    @Test
    void everyEndpointIsDocumentedBilinguallyAndHealthAndCountersAreServed() {
        JsonNode api = json(TestPlatform.send(port, "GET", "/v3/api-docs", null, null, Map.of()));
        List<String> summaries = new ArrayList<>();
        api.path("paths").forEach(p -> p.forEach(op -> summaries.add(op.path("summary").asString())));
        assertThat(api.path("paths").propertyNames()).contains(ITEMS, MONTHLY, OPERATIONS, "/api/v1/one-network/review/{id}/resolve",
                "/api/v1/one-network/mappings/{kind}/{key}", "/api/v1/one-network/subscriptions/{id}/dead-letters/replay");
        assertThat(summaries).hasSizeGreaterThanOrEqualTo(15).allMatch(x -> x.contains(" / ") && x.codePoints().anyMatch(c -> c > 0x4e00));
        HttpResponse<String> health = TestPlatform.send(port, "GET", "/actuator/health", null, null, Map.of());
        assertStatus(health, 200);
        assertThat(json(health).path("components").path("gateway").path("status").asString()).isEqualTo("UP");
        item(SERVICES_APP, "not-the-secret-of-this-app-0123456789", "{}");
        JsonNode rejected = json(TestPlatform.send(port, "GET", "/actuator/metrics/reform.gateway.inbound?tag=outcome:rejected", null, null, Map.of()));
        assertThat(rejected.path("measurements").get(0).path("value").asDouble()).isPositive();
    }

    // ---- outbound webhooks ----------------------------------------------------------------

    static void produceStatus(String caseId, String district, OverallStage stage, Health health, RolloutStage m1) {
        ReplicationStatus s = ReplicationStatus.newBuilder().setCaseId(caseId).setDistrictCode(district).setOverallStage(stage).setHealth(health)
                .setMeasures(List.of(MeasureStatus.newBuilder().setMeasureId(caseId + "-M1").setStage(m1).build()))
                .setEvaluatedAt(Instant.now()).build();
        try (KafkaProducer<String, Object> p = new KafkaProducer<>(ProducerDefaults.avroProducer(RealInfra.broker().bootstrapServers(),
                RealInfra.registry().confluentApiUrl()))) {
            p.send(new ProducerRecord<>(Topics.REPLICATION_STATUS.name(), Topic.cellKey(caseId, district), s));
            p.flush();
        }
    }

    String subscribe(WebhookReceiver hook, String secret, String district, String kinds) {
        HttpResponse<String> r = city("POST", "/api/v1/one-network/subscriptions",
                "{\"url\": \"%s\", \"secret\": \"%s\", \"districtCodes\": [\"%s\"], \"kinds\": %s}".formatted(hook.url(), secret, district, kinds));
        assertStatus(r, 201);
        assertThat(r.body()).doesNotContain(secret);
        return json(r).path("id").asString();
    }

    @Test
    void aMatchingSubscriberGetsEachChangeOfItsCellAsASignedStructuredCloudEventInOrder() throws IOException {
        try (WebhookReceiver hook = new WebhookReceiver(); WebhookReceiver other = new WebhookReceiver()) {
            String secret = "subscriber-secret-0123456789";
            subscribe(hook, secret, "310151", "[\"measure\", \"stage\"]");
            subscribe(other, "another-subscriber-secret-01", "310104", "[]");
            produceStatus("SH-2023-05", "310151", OverallStage.ROLLING_OUT, Health.GREEN, RolloutStage.PILOT);
            produceStatus("SH-2023-05", "310151", OverallStage.ROLLING_OUT, Health.GREEN, RolloutStage.PILOT); // nothing changed
            produceStatus("SH-2023-05", "310151", OverallStage.LIVE, Health.GREEN, RolloutStage.LIVE);
            produceStatus("SH-2023-05", "310151", OverallStage.LIVE, Health.GREEN, RolloutStage.SCALED);
            produceStatus("SH-2023-05", "310120", OverallStage.LIVE, Health.GREEN, RolloutStage.LIVE); // another district

            await().atMost(Duration.ofSeconds(10)).until(() -> hook.served().size() >= 3);
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
            List<WebhookReceiver.Received> got = hook.served();
            assertThat(got).hasSize(3);
            assertThat(other.requests).isEmpty();
            assertThat(got).extracting(x -> JSON.readTree(x.body()).path("data").path("measures").get(0).path("stage").asString())
                    .containsExactly("PILOT", "LIVE", "SCALED");
            for (WebhookReceiver.Received x : got) {
                JsonNode ce = JSON.readTree(x.body());
                assertThat(x.header("Content-Type")).startsWith("application/cloudevents+json");
                assertThat(x.header(WebhookDispatcher.SIGNATURE)).isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(
                        RequestSigner.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), x.body().getBytes(StandardCharsets.UTF_8))));
                assertThat(ce.path("specversion").asString()).isEqualTo("1.0");
                assertThat(ce.path("type").asString()).isEqualTo(Topics.REPLICATION_STATUS.cloudEventType());
                assertThat(ce.path("subject").asString()).isEqualTo("SH-2023-05|310151");
                assertThat(ce.path("datacontenttype").asString()).isEqualTo("application/json");
                assertThat(ce.path("source").asString()).isNotBlank();
                assertThat(Instant.parse(ce.path("time").asString())).isNotNull();
                assertThat(x.header(WebhookDispatcher.DELIVERY_ID)).isEqualTo(ce.path("id").asString());
            }
            assertThat(got).extracting(x -> x.header(WebhookDispatcher.DELIVERY_ID)).doesNotHaveDuplicates();
        }
    }

    /** Publishes as the status fold does: each notification in its own committed transaction. */
    static void publishNotifications(sh.reform.schema.supervision.Notification... ns) {
        java.util.Map<String, Object> p = ProducerDefaults.avroProducer(RealInfra.broker().bootstrapServers(), RealInfra.registry().confluentApiUrl());
        p.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, "gateway-notification-test-" + UUID.randomUUID());
        p.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            for (var n : ns) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.NOTIFICATIONS.name(), Topic.cellKey(n.getCaseId(), n.getDistrictCode()), n));
                producer.commitTransaction();
            }
        }
    }

    static sh.reform.schema.supervision.Notification notification(String caseId, String district) {
        return sh.reform.schema.supervision.Notification.newBuilder().setNotificationId(UUID.randomUUID().toString())
                .setKind(sh.reform.schema.supervision.NotificationKind.OVERDUE).setCaseId(caseId).setDistrictCode(district)
                .setAudience(sh.reform.schema.supervision.Audience.DISTRICT)
                .setTitleZh("案例 " + caseId + " 已逾期").setTitleEn("Case " + caseId + " is overdue")
                .setBodyZh("已超过办理期限，请尽快反馈。").setBodyEn("The due date has passed; please respond.")
                .setCreatedAt(Instant.now()).setDueDate(java.time.LocalDate.of(2026, 11, 30)).build();
    }

    @Test
    void aNotificationSubscriberGetsEachNotificationIdOnceSignedAndOthersGetNone() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                json(TestPlatform.send(port, "GET", "/actuator/health", null, null, Map.of())).path("status").asString().equals("UP"));
        try (WebhookReceiver bot = new WebhookReceiver(); WebhookReceiver statusOnly = new WebhookReceiver()) {
            String secret = "dingtalk-bot-secret-0123456789";
            subscribe(bot, secret, "310117", "[\"notification\"]");
            subscribe(statusOnly, "status-only-secret-0123456789", "310117", "[]");
            var n = notification("SH-2023-09", "310117");
            var marker = notification("SH-2023-09", "310117");
            // The same id twice (a rebuild re-emits it), then another on the same cell.
            publishNotifications(n, sh.reform.schema.supervision.Notification.newBuilder(n).build(), marker);

            await().atMost(Duration.ofSeconds(30)).until(() -> bot.served().stream()
                    .anyMatch(x -> marker.getNotificationId().equals(x.header(WebhookDispatcher.DELIVERY_ID))));
            List<WebhookReceiver.Received> got = bot.served();
            assertThat(got).extracting(x -> x.header(WebhookDispatcher.DELIVERY_ID))
                    .containsExactly(n.getNotificationId(), marker.getNotificationId());
            WebhookReceiver.Received x = got.get(0);
            assertThat(x.header(WebhookDispatcher.SIGNATURE)).isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(
                    RequestSigner.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), x.body().getBytes(StandardCharsets.UTF_8))));
            JsonNode ce = JSON.readTree(x.body());
            assertThat(ce.path("type").asString()).isEqualTo("sh.reform.notification.v1");
            assertThat(ce.path("id").asString()).isEqualTo(n.getNotificationId());
            assertThat(ce.path("subject").asString()).isEqualTo("SH-2023-09|310117");
            assertThat(ce.path("data").path("titleZh").asString()).isEqualTo("案例 SH-2023-09 已逾期");
            assertThat(ce.path("data").path("kind").asString()).isEqualTo("OVERDUE");
            assertThat(ce.path("data").path("dueDate").asString()).isEqualTo("2026-11-30");
            assertThat(statusOnly.requests).as("an empty filter means status changes, not notifications").isEmpty();
        }
    }

    @Test
    void aWebhookThatFailsThreeTimesIsRetriedWithGrowingBackOffAndThenServed() throws IOException {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            hook.answer = n -> n <= 3 ? 500 : 204;
            String id = subscribe(hook, "flaky-subscriber-secret-01", "310120", "[]");
            produceStatus("SH-2023-07", "310120", OverallStage.ADOPTED, Health.YELLOW, RolloutStage.PLANNED);
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.served().size() == 1);
            List<WebhookReceiver.Received> all = hook.requests;
            assertThat(all).hasSize(4);
            assertThat(all).extracting(x -> x.header(WebhookDispatcher.DELIVERY_ID)).containsOnly(all.get(0).header(WebhookDispatcher.DELIVERY_ID));
            assertThat(all).extracting(x -> x.header(WebhookDispatcher.ATTEMPT)).containsExactly("1", "2", "3", "4");
            long gap1 = Duration.between(all.get(0).at(), all.get(1).at()).toMillis();
            long gap3 = Duration.between(all.get(2).at(), all.get(3).at()).toMillis();
            assertThat(gap1).isGreaterThanOrEqualTo(40);
            assertThat(gap3).isGreaterThanOrEqualTo(180).isGreaterThan(gap1);
            assertThat(json(city("GET", "/api/v1/one-network/subscriptions/" + id + "/dead-letters", null))).isEmpty();
        }
    }

    @Test
    void aWebhookThatIsDownIsParkedAfterNAttemptsAndReplayDeliversEveryChangeInOrder() throws IOException {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            hook.answer = n -> 503;
            String id = subscribe(hook, "down-subscriber-secret-0001", "310118", "[]");
            produceStatus("SH-2023-09", "310118", OverallStage.ADOPTED, Health.GREEN, RolloutStage.PLANNED);
            produceStatus("SH-2023-09", "310118", OverallStage.ROLLING_OUT, Health.GREEN, RolloutStage.PILOT);
            String dlq = "/api/v1/one-network/subscriptions/" + id + "/dead-letters";
            await().atMost(Duration.ofSeconds(10)).until(() -> json(city("GET", dlq, null)).size() == 2);
            JsonNode letters = json(city("GET", dlq, null));
            assertThat(letters.get(0).path("attempts").asInt()).isEqualTo(4);
            assertThat(letters.get(0).path("lastError").asString()).contains("503");
            assertThat(hook.requests).hasSize(4);
            JsonNode sub = json(city("GET", "/api/v1/one-network/subscriptions/" + id, null));
            assertThat(sub.path("delivery").path("parked").asInt()).isEqualTo(2);

            hook.answer = n -> 200;
            HttpResponse<String> replay = city("POST", dlq + "/replay", null);
            assertStatus(replay, 202);
            assertThat(json(replay).path("replaying").asInt()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.served().size() == 2);
            assertThat(hook.served()).extracting(x -> JSON.readTree(x.body()).path("data").path("overallStage").asString())
                    .containsExactly("ADOPTED", "ROLLING_OUT");
            await().atMost(Duration.ofSeconds(5)).until(() -> json(city("GET", dlq, null)).isEmpty());
        }
    }
}
