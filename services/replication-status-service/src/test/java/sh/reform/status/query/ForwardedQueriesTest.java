package sh.reform.status.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.http.HttpStatus;
import org.springframework.mock.env.MockEnvironment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.Districts;
import sh.reform.status.RealInfraFixture;
import sh.reform.status.Reported;
import sh.reform.status.ServiceOnRealInfra;
import sh.reform.status.StatusSettings;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.topology.StatusStreams;
import sh.reform.status.topology.StatusTopology;

/** The seam for several instances: what one instance answers another over HTTP, and when it refuses. */
class ForwardedQueriesTest extends ServiceOnRealInfra {

    @Autowired
    LocalStores local;
    @Autowired
    StatusStreams streams;

    @Test
    void anotherInstanceAnswersOverHttpExactlyWhatItsStoresHold() {
        String c = "SH-2023-06";
        RealInfraFixture.report(Reported.adoption("fwd-a1", c, "310112", Instant.now().minusSeconds(5), AdoptionDecision.ADOPTED, null));
        RealInfraFixture.report(Reported.adoption("fwd-a2", c, "310113", Instant.now().minusSeconds(5), AdoptionDecision.INTENDS, null));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(get("/api/v1/status/cases/" + c).path("rollup").path("adopting").asInt()).isEqualTo(1));
        // Both cells folded (they may sit in different partitions, folded at different moments).
        Set<Integer> partitions = IntStream.range(0, 6).boxed().collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(local.cells(Set.of(c), partitions)).hasSize(2));

        HttpStatusPeer peer = new HttpStatusPeer(HttpClient.newHttpClient(), new HostInfo("127.0.0.1", port),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        String key = Topic.cellKey(c, "310112");
        KeyQueryMetadata where = streams.streams().queryMetadataForKey(StatusTopology.CELL_STATE_STORE, key, new StringSerializer());
        assertThat(where.activeHost()).isEqualTo(streams.self());
        assertThat(bytes(peer.cell(key, where.partition()).orElseThrow())).isEqualTo(bytes(local.cell(key, where.partition()).orElseThrow()));

        Set<Integer> all = IntStream.range(0, 6).boxed().collect(Collectors.toSet());
        List<ReplicationStatus> forwarded = peer.cells(Set.of(c), all);
        assertThat(forwarded).extracting(ReplicationStatus::getDistrictCode).containsExactlyInAnyOrder("310112", "310113");
        assertThat(forwarded.stream().map(ForwardedQueriesTest::bytes).collect(Collectors.toSet()))
                .isEqualTo(local.cells(Set.of(c), all).stream().map(ForwardedQueriesTest::bytes).collect(Collectors.toSet()));

        // Named cells (cases × districts) by point reads: the same bytes as the local store; an unreported cell is absent.
        List<String> named = List.of("310112", "310113", "310151");
        assertThat(peer.cellsOf(Set.of(c), named, all).stream().map(ForwardedQueriesTest::bytes).collect(Collectors.toSet()))
                .isEqualTo(local.cellsOf(Set.of(c), named, all).stream().map(ForwardedQueriesTest::bytes).collect(Collectors.toSet()))
                .hasSize(2);
        assertThat(peer.cellsOf(Set.of(c), named, Set.of(where.partition()))).extracting(ReplicationStatus::getDistrictCode)
                .contains("310112");
        assertThatThrownBy(() -> peer.cellsOf(Set.of(c), named, Set.of(99)))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));

        // History versions as of an instant (a POST form): the same as the local store; none before the first event.
        Instant later = Instant.now().plusSeconds(1);
        assertThat(peer.versionsOf(Set.of(c), named, all, later, false).statuses().stream().map(ForwardedQueriesTest::bytes)
                .collect(Collectors.toSet()))
                .isEqualTo(local.versionsOf(Set.of(c), named, all, later, false).statuses().stream().map(ForwardedQueriesTest::bytes)
                        .collect(Collectors.toSet()))
                .hasSize(2);
        assertThat(peer.versionsOf(Set.of(c), named, all, Instant.now().minusSeconds(3600), false).statuses()).isEmpty();
        assertThatThrownBy(() -> peer.versionsOf(Set.of(c), named, Set.of(99), later, false))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));

        // A partition the instance does not hold is refused, not answered empty.
        assertThatThrownBy(() -> peer.cells(Set.of(c), Set.of(99)))
                .isInstanceOfSatisfying(ApiProblemException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(send(InternalStatusController.CELLS + "?partition=99").statusCode()).isEqualTo(503);
        assertThat(send(InternalStatusController.CELLS + "?partition=99").headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void storesOfAStreamsClientThatHasNotStartedAnswer503WithRetryAfter() {
        StatusSettings settings = new StatusSettings();
        settings.setRetryAfter(Duration.ofSeconds(7));
        StatusStreams notStarted = new StatusStreams(new KafkaProperties(), settings, HealthRules.defaults(),
                new Districts(List.of()), new SimpleMeterRegistry(), new MockEnvironment(),
                sh.reform.status.fold.SupervisionRules.defaults(), java.time.Clock.systemUTC());
        LocalStores stores = new LocalStores(notStarted, settings, new EventPartitions(null, settings));
        assertThatThrownBy(() -> stores.cell("SH-2023-01|310104", 0)).isInstanceOfSatisfying(ApiProblemException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        });
        assertThatThrownBy(stores::catalog).isInstanceOf(ApiProblemException.class);
    }

    private static java.nio.ByteBuffer bytes(ReplicationStatus s) {
        try {
            return s.toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
