package sh.reform.status.query;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.streams.state.HostInfo;

import sh.reform.schema.status.ReplicationStatus;

/**
 * Another instance, asked over HTTP through its {@link InternalStatusController}. Anything but a clean
 * 200 (the peer is restarting, lost the partition, cannot be reached) is answered 503: a partial
 * answer would be presented as the whole truth.
 */
final class HttpStatusPeer implements StatusPeer {

    private final HttpClient http;
    private final HostInfo host;
    private final Duration timeout;
    private final Duration retryAfter;

    HttpStatusPeer(HttpClient http, HostInfo host, Duration timeout, Duration retryAfter) {
        this.http = http;
        this.host = host;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<ReplicationStatus> cell(String cellKey, int partition) {
        List<ReplicationStatus> one = get(InternalStatusController.CELL + "?key=" + encode(cellKey) + "&partition=" + partition);
        return one.stream().findFirst();
    }

    @Override
    public List<ReplicationStatus> cells(Set<String> caseIds, Set<Integer> partitions) {
        String query = Stream.concat(
                        partitions.stream().map(p -> "partition=" + p),
                        caseIds.stream().map(c -> "case=" + encode(c)))
                .collect(Collectors.joining("&"));
        return get(InternalStatusController.CELLS + "?" + query);
    }

    @Override
    public List<ReplicationStatus> cellsOf(Set<String> caseIds, List<String> districtCodes, Set<Integer> partitions) {
        String query = Stream.of(
                        partitions.stream().map(p -> "partition=" + p),
                        caseIds.stream().map(c -> "case=" + encode(c)),
                        districtCodes.stream().map(d -> "district=" + encode(d)))
                .flatMap(s -> s).collect(Collectors.joining("&"));
        return get(InternalStatusController.CELLS_OF + "?" + query);
    }

    @Override
    public Standby standby(String cellKey, Set<String> caseIds, Set<Integer> partitions) {
        String query = Stream.concat(Stream.concat(
                                partitions.stream().map(p -> "partition=" + p),
                                caseIds.stream().map(c -> "case=" + encode(c))),
                        cellKey == null ? Stream.empty() : Stream.of("key=" + encode(cellKey)))
                .collect(Collectors.joining("&"));
        HttpResponse<byte[]> response = send(InternalStatusController.STANDBY + "?" + query);
        long lag = response.headers().firstValueAsLong(InternalStatusController.STANDBY_LAG_HEADER).orElse(0);
        return new Standby(StatusFrames.read(response.body()), lag);
    }

    /** At most this many cases and districts per request: the query string stays well under the header limit (8 KB). */
    static final int CASES_PER_REQUEST = 100;
    static final int DISTRICTS_PER_REQUEST = 200;

    @Override
    public Standby versionsOf(Set<String> caseIds, List<String> districtCodes, Set<Integer> partitions, java.time.Instant asOf,
                              boolean standby) {
        // A GET like the other internal reads (reads need no token); a whole case at national scale names thousands of
        // districts, so the cells are asked for in slices.
        List<String> cases = List.copyOf(caseIds);
        List<ReplicationStatus> out = new java.util.ArrayList<>();
        long lag = 0;
        for (int c = 0; c < cases.size(); c += CASES_PER_REQUEST) {
            for (int d = 0; d < districtCodes.size(); d += DISTRICTS_PER_REQUEST) {
                String query = Stream.of(
                                partitions.stream().map(p -> "partition=" + p),
                                cases.subList(c, Math.min(cases.size(), c + CASES_PER_REQUEST)).stream().map(x -> "case=" + encode(x)),
                                districtCodes.subList(d, Math.min(districtCodes.size(), d + DISTRICTS_PER_REQUEST)).stream()
                                        .map(x -> "district=" + encode(x)),
                                Stream.of("asOf=" + encode(asOf.toString()), "standby=" + standby))
                        .flatMap(s -> s).collect(Collectors.joining("&"));
                HttpResponse<byte[]> response = send(InternalStatusController.VERSIONS_OF + "?" + query);
                lag = Math.max(lag, response.headers().firstValueAsLong(InternalStatusController.STANDBY_LAG_HEADER).orElse(0));
                out.addAll(StatusFrames.read(response.body()));
            }
        }
        return new Standby(out, lag);
    }

    private List<ReplicationStatus> get(String pathAndQuery) {
        return StatusFrames.read(send(pathAndQuery).body());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
    }

    private HttpResponse<byte[]> send(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(timeout).header("Accept", StatusFrames.MEDIA_TYPE).build();
        URI uri = request.uri();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw NotQueryable.of(retryAfter,
                        new IllegalStateException("instance " + host + " answered " + response.statusCode() + " to " + uri));
            }
            return response;
        } catch (IOException e) {
            throw NotQueryable.of(retryAfter, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NotQueryable.of(retryAfter, e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
