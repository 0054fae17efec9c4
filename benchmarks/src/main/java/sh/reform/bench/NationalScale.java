package sh.reform.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

/**
 * National scale: the memory of a status instance that holds the status of millions of cells (after a
 * replay of the synthetic national log), and the latency of its queries: one cell, one case (every
 * county), a page of 50 cases × one province's counties (up to 99), a 100 × 100 page and the batch's rollups,
 * each live and as of a random past instant (from the versioned history store).
 * Requests are sequential (closed loop)
 * after a warm-up, so each latency is the service's own time for that query.
 */
final class NationalScale {

    private NationalScale() {
    }

    record Result(double heapUsedAfterGcMiB, double heapMaxMiB, double rssMiB, Map<String, double[]> latenciesMs) {
    }

    static Result measure(int port, long pid, NationalSeeds seeds, boolean quick) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port;
        Random random = new Random(11);
        Map<String, double[]> latencies = new LinkedHashMap<>();
        latencies.put("cell", time(http, 50, quick ? 20 : 500, () -> base + "/api/v1/status/cells/"
                + pick(random, seeds.caseIds) + "/" + pick(random, seeds.districts)));
        latencies.put("case", time(http, 5, quick ? 5 : 100, () -> base + "/api/v1/status/cases/" + pick(random, seeds.caseIds)));
        int casePages = Math.max(1, seeds.caseIds.size() / 50);
        latencies.put("matrixProvincePage", time(http, 5, quick ? 5 : 200, () -> base + "/api/v1/status/matrix?batch=CN-2026&parent="
                + pick(random, seeds.provinces) + "&size=50&page=" + random.nextInt(casePages)));
        int rowPages = Math.max(1, seeds.caseIds.size() / 100);
        int columnPages = Math.max(1, seeds.districts.size() / 100);
        latencies.put("matrix100x100Page", time(http, 5, quick ? 5 : 100, () -> base + "/api/v1/status/matrix?batch=CN-2026&size=100&page="
                + random.nextInt(rowPages) + "&districtSize=100&districtPage=" + random.nextInt(columnPages)));

        // As of a random past instant, beside the same queries live: the synthetic log's events all occurred on
        // 2026-10-01 (Replay.produce), so instants are drawn from that day. Each as-of query is a lookup in the
        // versioned history store, evaluated at the instant (no replay of the log).
        Instant from = Replay.FIRST_OCCURRED_AT;
        Url asOf = () -> "asOf=" + java.net.URLEncoder.encode(from.plusSeconds(random.nextInt(86_400)).toString(),
                java.nio.charset.StandardCharsets.UTF_8);
        latencies.put("asOf.cell", time(http, 50, quick ? 20 : 500, () -> base + "/api/v1/status/cells/"
                + pick(random, seeds.caseIds) + "/" + pick(random, seeds.districts) + "?" + asOf.next()));
        latencies.put("asOf.case", time(http, 5, quick ? 5 : 100, () -> base + "/api/v1/status/cases/" + pick(random, seeds.caseIds)
                + "?" + asOf.next()));
        latencies.put("asOf.matrixProvincePage", time(http, 5, quick ? 5 : 200, () -> base + "/api/v1/status/matrix?batch=CN-2026&parent="
                + pick(random, seeds.provinces) + "&size=50&page=" + random.nextInt(casePages) + "&" + asOf.next()));
        latencies.put("asOf.matrix100x100Page", time(http, 5, quick ? 5 : 100, () -> base + "/api/v1/status/matrix?batch=CN-2026&size=100&page="
                + random.nextInt(rowPages) + "&districtSize=100&districtPage=" + random.nextInt(columnPages) + "&" + asOf.next()));
        // Rollups read every cell of the batch (all cases × all jurisdictions): few samples.
        latencies.put("rollups", time(http, 1, quick ? 2 : 5, () -> base + "/api/v1/status/rollups?batch=CN-2026"));
        latencies.put("asOf.rollups", time(http, 1, quick ? 2 : 5, () -> base + "/api/v1/status/rollups?batch=CN-2026&" + asOf.next()));

        // Memory: a full GC first, so heap is what the instance holds, not garbage waiting to be collected.
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        Thread.sleep(1000);
        double heapUsed = metric(http, base + "/actuator/metrics/jvm.memory.used?tag=area:heap") / (1024 * 1024);
        double heapMax = metric(http, base + "/actuator/metrics/jvm.memory.max?tag=area:heap") / (1024 * 1024);
        double rss = rssKiB(pid) / 1024.0;
        return new Result(heapUsed, heapMax, rss, latencies);
    }

    private interface Url {
        String next();
    }

    private static double[] time(HttpClient http, int warmUp, int samples, Url url) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            get(http, url.next());
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String u = url.next();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = get(http, u);
            double took = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(u + " answered " + r.statusCode() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            ms.add(took);
        }
        return ms.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static HttpResponse<byte[]> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(600)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static double metric(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> r = get(http, url);
        JsonNode m = Benchmarks.JSON.readTree(r.body());
        return m.path("measurements").get(0).path("value").asDouble();
    }

    private static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // not Linux: no RSS figure
        }
        return -1;
    }

    private static String pick(Random r, List<String> from) {
        return from.get(r.nextInt(from.size()));
    }
}
