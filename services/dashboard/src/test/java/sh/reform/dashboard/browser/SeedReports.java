package sh.reform.dashboard.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import sh.reform.shared.security.LocalTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reports sent straight to the reporting services, as a district's system would: a spread of adoptions
 * and rollouts over a dozen districts so that the matrix has every colour before the browser looks at it.
 * {@link #QUIET_DISTRICT} is left alone for the clerk in the browser.
 */
final class SeedReports {

    static final String QUIET_DISTRICT = "310151";
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private SeedReports() {
    }

    /** Sends the seed; returns how many cells it started. */
    static int send(RunningPlatform platform) {
        JsonNode cases = get(platform.url("catalog-service") + "/api/v1/catalog/cases?batch=SH-2023");
        List<String> districts = List.of("310101", "310104", "310105", "310106", "310107", "310109", "310110",
                "310112", "310113", "310114", "310115", "310116", "310117", "310118", "310120");
        LocalDate today = LocalDate.now(SHANGHAI);
        java.util.Random random = new java.util.Random(2023); // the same spread every run
        int started = 0;
        for (int d = 0; d < districts.size(); d++) {
            String district = districts.get(d);
            List<Map<String, Object>> adoptions = new ArrayList<>();
            List<Map<String, Object>> rollouts = new ArrayList<>();
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (JsonNode c : cases) {
                if (c.get("originDistrict").asString().equals(district) || random.nextInt(3) != 0) {
                    continue;
                }
                int kind = random.nextInt(6);
                Map<String, Object> adoption = envelope(c, district, 10);
                adoption.put("decision", kind == 5 ? "PAUSED" : kind == 4 ? "INTENDS" : "ADOPTED");
                adoption.put("leadAgency", "测试区营商办");
                // kind 3: the target passed while nothing is live, so the cell turns red
                adoption.put("targetDate", (kind == 3 ? today.minusDays(20) : today.plusDays(200)).toString());
                adoptions.add(adoption);
                started++;
                JsonNode measures = c.get("measures");
                for (int m = 0; m < measures.size(); m++) {
                    if (kind > 2 || (kind == 2 && m > 0)) {
                        break;
                    }
                    Map<String, Object> rollout = envelope(c, district, 5);
                    rollout.put("measureId", measures.get(m).get("measureId").asString());
                    rollout.put("stage", kind == 0 ? "LIVE" : "PILOT");
                    rollout.put("coverage", Map.of("covered", kind == 0 ? 12 : 3, "total", 12, "unit", "街镇"));
                    rollout.put("effectiveDate", today.toString());
                    rollouts.add(rollout);
                }
                JsonNode metrics = c.get("metrics");
                if (kind == 0 && random.nextBoolean() && !metrics.isEmpty()) {
                    // an outcome after going live: the cell is evaluated
                    JsonNode metric = metrics.get(0);
                    JsonNode reference = metric.get("reference");
                    double base = reference.isEmpty() ? 10 : reference.get(0).get("value").asDouble();
                    double value = Math.round(base * (0.6 + 0.1 * random.nextInt(6)) * 100) / 100.0;
                    Map<String, Object> outcome = envelope(c, district, 2);
                    outcome.put("metricId", metric.get("metricId").asString());
                    outcome.put("value", "%".equals(metric.get("unit").asString()) ? Math.min(100, value) : value);
                    outcome.put("unit", metric.get("unit").asString());
                    outcome.put("period", today.toString().substring(0, 7));
                    outcomes.add(outcome);
                }
            }
            String token = LocalTokens.district(LocalTokens.LOCAL_SECRET, district, "测试", Duration.ofHours(1));
            post(platform.url("case-adoption-service") + "/api/v1/adoptions/batch", token, adoptions);
            post(platform.url("measure-rollout-service") + "/api/v1/rollouts/batch", token, rollouts);
            post(platform.url("outcome-reporting-service") + "/api/v1/outcomes/batch", token, outcomes);
        }
        return started;
    }

    private static Map<String, Object> envelope(JsonNode c, String district, int minutesAgo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", UUID.randomUUID().toString());
        body.put("caseId", c.get("caseId").asString());
        body.put("districtCode", district);
        body.put("occurredAt", OffsetDateTime.now(SHANGHAI).minusMinutes(minutesAgo).withNano(0).toString());
        return body;
    }

    static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void post(String url, String token, List<Map<String, Object>> reports) {
        if (reports.isEmpty()) {
            return;
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("reports", reports)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("POST " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
