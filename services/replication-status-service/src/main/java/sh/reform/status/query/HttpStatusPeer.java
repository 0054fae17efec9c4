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

    private List<ReplicationStatus> get(String pathAndQuery) {
        return StatusFrames.read(send(pathAndQuery).body());
    }

    private HttpResponse<byte[]> send(String pathAndQuery) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", StatusFrames.MEDIA_TYPE).GET().build();
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
