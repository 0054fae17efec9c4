package sh.reform.gateway.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import sh.reform.gateway.GatewaySettings;
import sh.reform.gateway.signing.SignedApp;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The unit "the gateway calls the reporting API with the right body and token", against a stand-in that answers like it. */
class ReportingClientTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final SignedApp APP = new SignedApp("ywtb-city", "一网通办", null);

    record Call(String path, String authorization, String body) {
    }

    HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile int status = 202;
    volatile String answer = "{\"status\":\"accepted\",\"eventId\":\"e\",\"topic\":\"reform.measure-rollout\",\"partition\":2,\"offset\":7}";
    volatile String retryAfter;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            calls.add(new Call(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Authorization"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", status == 202 ? "application/json" : "application/problem+json");
            if (retryAfter != null) {
                ex.getResponseHeaders().add("Retry-After", retryAfter);
            }
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ReportingClient client(URI url) {
        return new ReportingClient(new GatewaySettings.Reporting(url, url, url, Duration.ofSeconds(2), Duration.ofHours(1)), LocalTokens.LOCAL_SECRET);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static Report rollout(String eventId) {
        ObjectNode b = JSON.createObjectNode().put("eventId", eventId).put("caseId", "SH-2023-13").put("districtCode", "310113")
                .put("occurredAt", "2026-11-20").put("source", "ONE_NETWORK_SERVICES").put("measureId", "SH-2023-13-M2").put("stage", "LIVE");
        return new Report(ReportingService.ROLLOUT, b, "310113 SH-2023-13/SH-2023-13-M2");
    }

    @Test
    void aSingleReportGoesToTheServicePathWithAnIntegrationTokenForAllDistricts() throws Exception {
        List<Published> p = client(url()).publish(APP, List.of(rollout("5b0c6a2e-1d8f-3a6e-9c1b-2f4e6a8c0d12")));
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.topic()).isEqualTo("reform.measure-rollout");
            assertThat(x.offset()).isEqualTo(7);
            assertThat(x.duplicate()).isFalse();
        });
        Call c = calls.get(0);
        assertThat(c.path()).isEqualTo("/api/v1/rollouts");
        JsonNode sent = JSON.readTree(c.body());
        assertThat(sent.path("source").asString()).isEqualTo("ONE_NETWORK_SERVICES");
        assertThat(sent.path("eventId").asString()).isEqualTo("5b0c6a2e-1d8f-3a6e-9c1b-2f4e6a8c0d12");
        SignedJWT jwt = SignedJWT.parse(c.authorization().substring("Bearer ".length()));
        assertThat(jwt.verify(new MACVerifier(LocalTokens.LOCAL_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("role")).isEqualTo("INTEGRATION");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("districts")).containsExactly("*");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("ywtb-city");
    }

    @Test
    void severalReportsGoAsOneBatchAndARepeatedBatchIsMarkedDuplicate() {
        answer = "{\"status\":\"accepted\",\"count\":2,\"duplicates\":2,\"receipts\":[{\"eventId\":\"a\",\"topic\":\"t\",\"partition\":0,\"offset\":1},"
                + "{\"eventId\":\"b\",\"topic\":\"t\",\"partition\":1,\"offset\":2}]}";
        List<Published> p = client(url()).publish(APP, List.of(rollout("a"), rollout("b")));
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/api/v1/rollouts/batch");
            assertThat(JSON.readTree(c.body()).path("reports").size()).isEqualTo(2);
        });
        assertThat(p).extracting(Published::eventId).containsExactly("a", "b");
        assertThat(p).allMatch(Published::duplicate);
    }

    @Test
    void aRefusalComesBackAsTheSameProblemNamingWhichReport() {
        status = 400;
        answer = "{\"code\":\"invalid\",\"titleZh\":\"请求内容有误\",\"titleEn\":\"invalid\",\"detailZh\":\"有 1 处\",\"detailEn\":\"1 field\","
                + "\"errors\":[{\"field\":\"reports[1].measureId\",\"code\":\"unknown-measure\",\"messageZh\":\"不属于\",\"messageEn\":\"not of\"}]}";
        assertThatThrownBy(() -> client(url()).publish(APP, List.of(rollout("a"), rollout("b"))))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.errors()).singleElement().satisfies(f -> {
                        assertThat(f.field()).isEqualTo("reports[1](310113 SH-2023-13/SH-2023-13-M2).measureId");
                        assertThat(f.code()).isEqualTo("unknown-measure");
                    });
                });
    }

    @Test
    void unavailableStaysUnavailableWithRetryAfter() {
        status = 503;
        retryAfter = "7";
        answer = "{\"code\":\"unavailable\"}";
        assertThatThrownBy(() -> client(url()).publish(APP, List.of(rollout("a"))))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(503);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                });
    }

    @Test
    void aReportingServiceThatIsNotRunningIs503() {
        URI nobody = url();
        server.stop(0);
        assertThatThrownBy(() -> client(nobody).publish(APP, List.of(rollout("a"))))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> assertThat(e.status().value()).isEqualTo(503));
    }
}
