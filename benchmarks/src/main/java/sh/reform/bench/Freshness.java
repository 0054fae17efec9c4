package sh.reform.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Freshness: from the 202 answer of a report to the change being visible in the status query
 * API ({@code /api/v1/status/cells/...}, polled every 2 ms) and on the Server-Sent Events stream.
 */
final class Freshness implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String statusUrl;
    /** "caseId|district#eventCount" → nanoTime the SSE status event arrived. */
    private final Map<String, Long> sseArrivals = new ConcurrentHashMap<>();
    private volatile boolean connected;
    private Thread reader;

    Freshness(HttpClient http, String statusUrl) {
        this.http = http;
        this.statusUrl = statusUrl;
    }

    void connect() throws InterruptedException {
        reader = new Thread(() -> {
            try {
                HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(statusUrl + "/api/v1/status/stream"))
                        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
                connected = true;
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line : (Iterable<String>) r.body()::iterator) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty()) {
                        if ("status".equals(event) && !data.isEmpty()) {
                            long now = System.nanoTime();
                            JsonNode n = JSON.readTree(data.toString());
                            sseArrivals.putIfAbsent(n.path("caseId").asString() + "|" + n.path("districtCode").asString() + "#"
                                    + n.path("eventCount").asLong(), now);
                        }
                        event = null;
                        data.setLength(0);
                    }
                }
            } catch (Exception e) {
                connected = false;
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!connected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    long eventCount(Reports.Cell cell) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(statusUrl + "/api/v1/status/cells/" + cell.caseId() + "/" + cell.district()))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return r.statusCode() == 404 ? 0 : -1;
        }
        return JSON.readTree(r.body()).path("eventCount").asLong();
    }

    record Result(List<Double> queryMs, List<Double> streamMs, int missed) {
    }

    Result measure(HttpLoad load, Reports reports, int count) throws Exception {
        List<Double> query = new ArrayList<>();
        List<Double> stream = new ArrayList<>();
        int missed = 0;
        for (int i = 0; i < count; i++) {
            Reports.Cell cell = reports.randomCell();
            long before = eventCount(cell);
            if (before < 0) {
                missed++;
                continue;
            }
            long answered = load.reportOne(reports.rollout(cell));
            long deadline = answered + 10_000_000_000L;
            long seenAt = -1;
            while (System.nanoTime() < deadline) {
                if (eventCount(cell) > before) {
                    seenAt = System.nanoTime();
                    break;
                }
                Thread.sleep(2);
            }
            String key = cell.key() + "#" + (before + 1);
            while (!sseArrivals.containsKey(key) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Long sseAt = sseArrivals.get(key);
            if (seenAt < 0 || sseAt == null) {
                missed++;
                continue;
            }
            query.add((seenAt - answered) / 1e6);
            stream.add(Math.max(0, sseAt - answered) / 1e6);
        }
        return new Result(query, stream, missed);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.interrupt();
        }
    }
}
