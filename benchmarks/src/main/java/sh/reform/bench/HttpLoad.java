package sh.reform.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** HTTP load on the reporting API: batches as fast as they are answered, and single reports open loop. */
final class HttpLoad {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(16)).connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;

    HttpLoad(String rolloutsUrl, String token) {
        this.url = rolloutsUrl;
        this.token = token;
    }

    private HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    /** Accepted events per second, and each batch request's latency (from send to the 202). */
    record BatchResult(long events, double eventsPerSec, long failedBatches, double p50Ms, double p99Ms) {
    }

    /** {@code batches} batches of {@code size} reports, {@code concurrency} in flight; events/s accepted. */
    BatchResult batches(Reports reports, int batches, int size, int concurrency) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < size; i++) {
                sb.append(i == 0 ? "" : ",").append(reports.rollout(reports.randomCell()));
            }
            bodies.add(sb.append(']').toString());
        }
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (String body : bodies) {
            futures.add(pool.submit(() -> {
                long sent = System.nanoTime();
                HttpResponse<String> r = http.send(request("/batch", body), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    latencies.add((System.nanoTime() - sent) / 1e6);
                    accepted.addAndGet(size);
                } else {
                    failed.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        double[] l = Stats.toArray(latencies);
        return new BatchResult(accepted.get(), accepted.get() / secs, failed.get(), Stats.percentile(l, 50), Stats.percentile(l, 99));
    }

    record OpenLoopResult(int rate, long sent, long ok, long failed, double achievedPerSec, double p50Ms, double p99Ms, double p999Ms) {
    }

    /**
     * Single reports at a fixed offered rate for {@code seconds}; each latency is measured from the
     * request's intended send time, so a server that falls behind cannot hide its queue.
     */
    OpenLoopResult openLoop(Reports reports, int rate, double seconds) throws Exception {
        long n = Math.max(1, Math.round(rate * seconds));
        List<String> bodies = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            bodies.add(reports.rollout(reports.randomCell()));
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long intended = start + i * intervalNanos;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            pending.add(http.sendAsync(request("", bodies.get(i)), HttpResponse.BodyHandlers.discarding())
                    .handle((r, e) -> {
                        double ms = (System.nanoTime() - intended) / 1e6;
                        if (e == null && r.statusCode() == 202) {
                            ok.incrementAndGet();
                            latencies.add(ms);
                        } else {
                            failed.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] l = Stats.toArray(latencies);
        return new OpenLoopResult(rate, n, ok.get(), failed.get(), ok.get() / elapsed, Stats.percentile(l, 50),
                Stats.percentile(l, 99), Stats.percentile(l, 99.9));
    }

    /** One report, answered 202; returns the nanoTime of the answer. */
    long reportOne(String body) throws Exception {
        HttpResponse<String> r = http.send(request("", body), HttpResponse.BodyHandlers.ofString());
        long at = System.nanoTime();
        if (r.statusCode() != 202) {
            throw new IllegalStateException("report refused: " + r.statusCode() + " " + r.body());
        }
        return at;
    }

    HttpClient client() {
        return http;
    }
}
