package sh.reform.gateway.reporting;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import sh.reform.catalog.FieldError;
import sh.reform.gateway.GatewaySettings;
import sh.reform.gateway.signing.SignedApp;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.security.LocalTokens;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reports through the reporting services' own HTTP APIs, so that what comes in from the
 * one-network systems passes the same validation, idempotency and topics as a clerk's report.
 * Each call carries an INTEGRATION token for all districts that the gateway signs for the
 * calling app (its app key is the reporter). One report is sent alone; several go as one batch,
 * which the reporting service publishes all or nothing.
 *
 * <p>The answers pass through: a 4xx problem of the reporting service comes back to the caller
 * as the same problem; a 503, a timeout or a service that cannot be reached is a 503 with
 * Retry-After (nothing new was published, and a retry with the same message publishes once).
 */
public final class ReportingClient {

    private static final Logger log = LoggerFactory.getLogger(ReportingClient.class);
    private static final Pattern BATCH_INDEX = Pattern.compile("^reports\\[(\\d+)]");

    private final Map<ReportingService, URI> urls;
    private final Duration timeout;
    private final Duration tokenTtl;
    private final String jwtSecret;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant renewAt) {
    }

    public ReportingClient(GatewaySettings.Reporting settings, String jwtSecret) {
        this.urls = Map.of(ReportingService.ADOPTION, settings.adoptionUrl(), ReportingService.ROLLOUT, settings.rolloutUrl(),
                ReportingService.OUTCOME, settings.outcomeUrl());
        this.timeout = settings.timeout();
        this.tokenTtl = settings.tokenTtl();
        this.jwtSecret = jwtSecret;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Publishes the reports (all to the same service) and returns where each landed, in order. */
    public List<Published> publish(SignedApp app, List<Report> reports) {
        if (reports.isEmpty()) {
            return List.of();
        }
        ReportingService service = reports.get(0).service();
        if (reports.stream().anyMatch(r -> r.service() != service)) {
            throw new IllegalArgumentException("one call reports to one service");
        }
        if (reports.size() == 1) {
            JsonNode answer = call(app, service, service.path(), reports.get(0).body(), reports);
            return List.of(published(reports.get(0).label(), answer));
        }
        List<Published> out = new ArrayList<>();
        for (int from = 0; from < reports.size(); from += ReportingEngine.MAX_BATCH) {
            List<Report> chunk = reports.subList(from, Math.min(reports.size(), from + ReportingEngine.MAX_BATCH));
            ObjectNode batch = json.createObjectNode();
            ArrayNode list = batch.putArray("reports");
            chunk.forEach(r -> list.add(r.body()));
            JsonNode answer = call(app, service, service.path() + "/batch", batch, chunk);
            JsonNode receipts = answer.path("receipts");
            for (int i = 0; i < chunk.size(); i++) {
                out.add(published(chunk.get(i).label(), receipts.path(i)));
            }
        }
        return out;
    }

    private Published published(String label, JsonNode a) {
        return new Published(label, a.path("eventId").asString(), a.path("topic").asString(), a.path("partition").asInt(),
                a.path("offset").asLong(), a.path("duplicate").asBoolean(false));
    }

    private JsonNode call(SignedApp app, ReportingService service, String path, JsonNode body, List<Report> sent) {
        HttpRequest request = HttpRequest.newBuilder(urls.get(service).resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token(app))
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException | ConnectException e) {
            log.warn("{} did not answer: {}", service, e.toString());
            throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, e);
        } catch (IOException e) {
            log.warn("{} call failed: {}", service, e.toString());
            throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, e);
        }
        int status = r.statusCode();
        if (status == 202 || status == 200) {
            JsonNode answer = json.readTree(r.body());
            if (answer.isObject() && sent.size() == 1 && "true".equals(r.headers().firstValue("Idempotent-Replayed").orElse(null))) {
                ((ObjectNode) answer).put("duplicate", true);
            }
            if (answer.has("receipts")) {
                markDuplicates(answer);
            }
            return answer;
        }
        if (status == 401) {
            // Our own token was refused: the gateway is misconfigured (JWT secret), not the caller.
            log.error("{} refused the gateway's token: {}", service, r.body());
            throw new ApiProblemException(HttpStatus.BAD_GATEWAY, "reporting-auth", "报送服务拒绝了网关的令牌", "the reporting service refused the gateway's token",
                    "网关与报送服务的令牌密钥不一致，请联系平台运维", "the gateway's token secret does not match the reporting service's; contact the platform operators",
                    List.of(), null);
        }
        if (status >= 400 && status < 500) {
            throw problemOf(r, sent);
        }
        Duration retry = r.headers().firstValue("Retry-After").map(s -> {
            try {
                return Duration.ofSeconds(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                return ReportingEngine.RETRY_AFTER;
            }
        }).orElse(ReportingEngine.RETRY_AFTER);
        log.warn("{} answered {}: {}", service, status, r.body());
        throw ApiProblemException.unavailable(retry, null);
    }

    /** The reporting service's receipts do not say which were repeats; a batch is all-or-nothing, and the header tells. */
    private static void markDuplicates(JsonNode answer) {
        int dup = answer.path("duplicates").asInt(0);
        if (dup > 0 && dup == answer.path("count").asInt(-1)) {
            answer.path("receipts").forEach(x -> ((ObjectNode) x).put("duplicate", true));
        }
    }

    private ApiProblemException problemOf(HttpResponse<String> r, List<Report> sent) {
        JsonNode p;
        try {
            p = json.readTree(r.body());
        } catch (RuntimeException e) {
            p = json.createObjectNode();
        }
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode e : p.path("errors")) {
            errors.add(new FieldError(label(e.path("field").asString(), sent), e.path("code").asString(),
                    e.path("messageZh").asString(), e.path("messageEn").asString()));
        }
        HttpStatus status = HttpStatus.resolve(r.statusCode());
        return new ApiProblemException(status == null ? HttpStatus.BAD_REQUEST : status, p.path("code").asString("invalid"),
                p.path("titleZh").asString("报送服务拒绝了报送"), p.path("titleEn").asString("the reporting service refused the report"),
                "报送服务拒绝：" + p.path("detailZh").asString(""), "refused by the reporting service: " + p.path("detailEn").asString(""),
                errors, null);
    }

    /** {@code reports[3].metricId} → {@code reports[3](310113 SH-2023-15/SH-2023-15-K10).metricId}, so the caller knows which one. */
    private static String label(String field, List<Report> sent) {
        Matcher m = BATCH_INDEX.matcher(field == null ? "" : field);
        if (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i < sent.size()) {
                return "reports[" + i + "](" + sent.get(i).label() + ")" + field.substring(m.end());
            }
        }
        return sent.size() == 1 ? sent.get(0).label() + ": " + field : field;
    }

    private String token(SignedApp app) {
        Instant now = Instant.now();
        Token t = tokens.get(app.appKey());
        if (t == null || now.isAfter(t.renewAt())) {
            t = new Token(LocalTokens.integration(jwtSecret, app.appKey(), List.of("*"), tokenTtl), now.plus(tokenTtl.dividedBy(2)));
            tokens.put(app.appKey(), t);
        }
        return t.value();
    }
}
