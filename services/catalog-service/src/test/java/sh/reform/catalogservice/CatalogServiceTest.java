package sh.reform.catalogservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.catalog.SeedCatalog;
import sh.reform.local.infra.RealInfra;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The catalog service against a real broker and a real registry. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CatalogServiceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String CITY = LocalTokens.cityOffice(LocalTokens.LOCAL_SECRET, "city-office-test", Duration.ofHours(1));
    static final String JINSHAN = LocalTokens.district(LocalTokens.LOCAL_SECRET, "310116", "金山区发展改革委", Duration.ofHours(1));

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        r.add("spring.kafka.bootstrap-servers", () -> RealInfra.broker().bootstrapServers());
        r.add("spring.kafka.properties.schema.registry.url", () -> RealInfra.registry().confluentApiUrl());
    }

    @LocalServerPort
    int port;

    @Autowired
    SeedLoader seedLoader;

    @Test
    void readApiListsTheTwentyCasesOf2023WithDistrictNames() throws Exception {
        JsonNode cases = get("/api/v1/catalog/cases?batch=SH-2023");
        assertThat(cases.size()).isEqualTo(20);
        JsonNode first = cases.get(0);
        assertThat(first.path("caseId").asString()).isEqualTo("SH-2023-01");
        assertThat(first.path("originDistrictNameZh").asString()).isEqualTo("金山区");
        assertThat(first.path("measures").size()).isGreaterThanOrEqualTo(2);
        assertThat(get("/api/v1/catalog/cases?batch=SH-2023&origin=310116").size()).isEqualTo(2);
        assertThat(get("/api/v1/catalog/cases/SH-2023-12").path("originDistrict").asString()).isEqualTo("310110");
    }

    @Test
    void loadingTheSeedAgainPublishesNothing() throws Exception {
        long before = endOffset(Topics.CATALOG_CASES.name());
        SeedLoader.Result again = seedLoader.load(SeedCatalog.load());
        assertThat(again.cases()).isZero();
        assertThat(again.batches()).isZero();
        assertThat(again.unchanged()).isEqualTo(20);
        assertThat(endOffset(Topics.CATALOG_CASES.name())).isEqualTo(before);
    }

    @Test
    void cityOfficePublishesA2024BatchThatAppearsInTheReadApiAndOnTheTopic() throws Exception {
        long before = endOffset(Topics.CATALOG_CASES.name());
        HttpResponse<String> r = send("POST", "/api/v1/catalog/batches", CITY, batch2024("SH-2024", "310116", "专班"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode c = get("/api/v1/catalog/cases/SH-2024-01");
        assertThat(c.path("version").asInt()).isEqualTo(1);
        assertThat(c.path("changedBy").asString()).isEqualTo("city-office-test");
        assertThat(c.path("changedAt").asString()).endsWith("+08:00");
        assertThat(get("/api/v1/catalog/cases?batch=SH-2024").size()).isEqualTo(1);
        // one case + one commit marker (transactional)
        assertThat(endOffset(Topics.CATALOG_CASES.name())).isGreaterThan(before);
    }

    @Test
    void invalidBatchIsRefusedFieldByFieldAndChangesNothing() throws Exception {
        long before = endOffset(Topics.CATALOG_CASES.name());
        String body = """
                {"id": "SH-2025", "year": 2025, "titleZh": "2025年批次",
                 "cases": [
                   {"id": "SH-2025-01", "rank": 1, "originDistrict": "999999", "titleZh": "甲", "domain": "REGULATION",
                    "measures": [{"id": "SH-2025-01-M1"}],
                    "metrics": [{"id": "SH-2025-01-K1", "nameZh": "办件量"}]},
                   {"id": "SH-2023-01", "rank": 2, "originDistrict": "310116", "titleZh": "乙", "domain": "REGULATION",
                    "measures": [{"id": "SH-2023-01-M1", "nameZh": "一"}]}
                 ]}
                """;
        HttpResponse<String> r = send("POST", "/api/v1/catalog/batches", CITY, body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("title").asString()).isEqualTo("请求内容有误");
        List<String> fields = p.path("errors").valueStream().map(e -> e.path("field").asString()).toList();
        assertThat(fields).contains("cases[0].measures[0].nameZh", "cases[0].metrics[0].unit", "cases[1].id");
        assertThat(p.path("errors").get(0).path("messageEn").asString()).isNotBlank();
        assertThat(endOffset(Topics.CATALOG_CASES.name())).isEqualTo(before);
        assertThat(send("GET", "/api/v1/catalog/cases?batch=SH-2025", null, null).body()).isEqualTo("[]");

        HttpResponse<String> unknownDistrict = send("POST", "/api/v1/catalog/batches", CITY, batch2024("SH-2026", "999999", "x"));
        assertThat(JSON.readTree(unknownDistrict.body()).path("errors").get(0).path("code").asString()).isEqualTo("unknown-district");
    }

    @Test
    void onlyTheCityOfficeMayChangeTheCatalog() throws Exception {
        assertThat(send("POST", "/api/v1/catalog/batches", null, batch2024("SH-2027", "310116", "x")).statusCode()).isEqualTo(401);
        HttpResponse<String> r = send("POST", "/api/v1/catalog/batches", JINSHAN, batch2024("SH-2027", "310116", "x"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("detailZh").asString()).contains("市级");
    }

    @Test
    void amendingBumpsTheVersionAndRetiringKeepsTheCaseReadable() throws Exception {
        send("POST", "/api/v1/catalog/batches", CITY, batch2024("SH-2028", "310117", "原名"));
        JsonNode c = get("/api/v1/catalog/cases/SH-2028-01");
        String amended = """
                {"rank": 1, "originDistrict": "310117", "titleZh": "修订后的名称", "domain": "REGULATION",
                 "measures": [{"id": "SH-2028-01-M1", "nameZh": "举措一"}, {"id": "SH-2028-01-M2", "nameZh": "举措二"}]}
                """;
        HttpResponse<String> r = send("PUT", "/api/v1/catalog/cases/SH-2028-01", CITY, amended);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode after = get("/api/v1/catalog/cases/SH-2028-01");
        assertThat(after.path("version").asInt()).isEqualTo(c.path("version").asInt() + 1);
        assertThat(after.path("titleZh").asString()).isEqualTo("修订后的名称");
        assertThat(after.path("measures").size()).isEqualTo(2);

        assertThat(send("POST", "/api/v1/catalog/cases/SH-2028-01/retire", CITY, "").statusCode()).isEqualTo(200);
        JsonNode retired = get("/api/v1/catalog/cases/SH-2028-01");
        assertThat(retired.path("state").asString()).isEqualTo("RETIRED");
        assertThat(retired.path("version").asInt()).isEqualTo(c.path("version").asInt() + 2);
    }

    @Test
    void unknownCaseIsA404ProblemInChineseOrEnglish() throws Exception {
        HttpResponse<String> zh = send("GET", "/api/v1/catalog/cases/SH-1999-99", null, null);
        assertThat(zh.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(zh.body()).path("title").asString()).isEqualTo("未找到");
        HttpRequest en = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/catalog/cases/SH-1999-99"))
                .header("Accept-Language", "en-US,en;q=0.9").GET().build();
        assertThat(JSON.readTree(HTTP.send(en, HttpResponse.BodyHandlers.ofString()).body()).path("title").asString())
                .isEqualTo("Not found");
    }

    @Test
    void openApiDocumentDescribesTheApi() throws Exception {
        JsonNode doc = get("/v3/api-docs");
        assertThat(doc.path("paths").has("/api/v1/catalog/batches")).isTrue();
        assertThat(doc.path("paths").has("/api/v1/catalog/cases/{caseId}")).isTrue();
    }

    static String batch2024(String batchId, String origin, String title) {
        String year = batchId.substring(3);
        return """
                {"id": "%s", "year": %s, "titleZh": "%s年度优秀案例", "titleEn": "%s cases",
                 "cases": [
                   {"id": "%s-01", "rank": 1, "originDistrict": "%s", "leadAgency": "区发展改革委",
                    "titleZh": "%s", "titleEn": "A case", "domain": "GOVERNMENT_SERVICES",
                    "summaryZh": "摘要", "summaryEn": "Summary", "oneNetwork": ["SERVICES"],
                    "measures": [{"id": "%s-01-M1", "nameZh": "举措一"}, {"id": "%s-01-M2", "nameZh": "举措二"}],
                    "metrics": [{"id": "%s-01-K1", "nameZh": "网办率", "unit": "%%", "kind": "PERCENT",
                                 "reference": [{"value": 60.0, "qualifier": "EXACT", "period": "2024"}]}]}
                 ]}
                """.formatted(batchId, year, year, year, batchId, origin, title, batchId, batchId, batchId);
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, null);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfra.broker().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }
}
