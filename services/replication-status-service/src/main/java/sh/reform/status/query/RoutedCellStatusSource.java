package sh.reform.status.query;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.stereotype.Component;

import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.shared.topics.Topics;
import sh.reform.status.StatusSettings;
import sh.reform.status.topology.StatusStreams;
import sh.reform.status.topology.StatusTopology;

/**
 * Routes by Kafka Streams' own metadata ({@code application.server} of every instance): a cell to the
 * active holder of its key ({@code queryMetadataForKey}), a list to every instance that holds part of
 * the store ({@code streamsMetadataForStore}), each asked for exactly the partitions the metadata gives
 * it. When the active holder cannot answer (it was just lost: killed, unreachable, or its partitions are
 * moving) a standby holder answers from its copy if that copy is caught up
 * ({@code reform.status.standby-max-lag}), and the response says so ({@link StandbyAnswers}). Until some
 * instance can answer for every partition (start-up, rebalance) the answer is 503.
 */
@Component
class RoutedCellStatusSource implements CellStatusSource {

    private static final Set<String> SOURCE_TOPICS = Set.of(Topics.EVENTS.stream().map(Topic::name).toArray(String[]::new));

    private final LocalStores local;
    private final StatusStreams status;
    private final StatusSettings settings;
    private final EventPartitions partitions;
    private final HttpClient http;

    RoutedCellStatusSource(LocalStores local, StatusStreams status, StatusSettings settings, EventPartitions partitions) {
        this.local = local;
        this.status = status;
        this.settings = settings;
        this.partitions = partitions;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public Optional<ReplicationStatus> cell(String caseId, String districtCode) {
        KafkaStreams streams = local.streams();
        String key = Topic.cellKey(caseId, districtCode);
        KeyQueryMetadata where = streams.queryMetadataForKey(StatusTopology.CELL_STATE_STORE, key, new StringSerializer());
        if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE) || where.activeHost() == null) {
            throw local.unavailable(new IllegalStateException("no instance holds " + key + " at the moment"));
        }
        try {
            return peer(where.activeHost()).cell(key, where.partition());
        } catch (ApiProblemException activeFailed) {
            for (HostInfo standby : where.standbyHosts()) {
                try {
                    StatusPeer.Standby answer = peer(standby).standby(key, Set.of(), Set.of(where.partition()));
                    StandbyAnswers.record(answer.offsetLag());
                    return answer.statuses().stream().findFirst();
                } catch (ApiProblemException standbyFailed) {
                    activeFailed.addSuppressed(standbyFailed);
                }
            }
            throw activeFailed;
        }
    }

    @Override
    public List<ReplicationStatus> cells(Set<String> caseIds) {
        return gather((peer, partitions) -> peer.cells(caseIds, partitions),
                (peer, partitions) -> peer.standby(null, caseIds, partitions), s -> true);
    }

    @Override
    public List<ReplicationStatus> cellsOf(Set<String> caseIds, List<String> districtCodes) {
        Set<String> districts = Set.copyOf(districtCodes);
        return gather((peer, partitions) -> peer.cellsOf(caseIds, districtCodes, partitions),
                (peer, partitions) -> peer.standby(null, caseIds, partitions), s -> districts.contains(s.getDistrictCode()));
    }

    @Override
    public List<ReplicationStatus> versionsAsOf(Set<String> caseIds, List<String> districtCodes, java.time.Instant asOf) {
        if (caseIds.isEmpty() || districtCodes.isEmpty()) {
            return List.of();
        }
        return gather((peer, partitions) -> peer.versionsOf(caseIds, districtCodes, partitions, asOf, false).statuses(),
                (peer, partitions) -> peer.versionsOf(caseIds, districtCodes, partitions, asOf, true), s -> true);
    }

    /**
     * Asks every instance that holds part of the store, as active copy, for its partitions; where one does
     * not answer, a caught-up standby copy answers for the cases' cells that {@code keep} accepts. 503 unless
     * every partition is covered.
     */
    private List<ReplicationStatus> gather(java.util.function.BiFunction<StatusPeer, Set<Integer>, List<ReplicationStatus>> ask,
                                           java.util.function.BiFunction<StatusPeer, Set<Integer>, StatusPeer.Standby> askStandby,
                                           java.util.function.Predicate<ReplicationStatus> keep) {
        KafkaStreams streams = local.streams();
        Collection<StreamsMetadata> holders = streams.streamsMetadataForStore(StatusTopology.CELL_STATE_STORE);
        Set<Integer> covered = new HashSet<>();
        List<ReplicationStatus> out = new ArrayList<>();
        ApiProblemException failure = null;
        for (StreamsMetadata holder : holders) {
            Set<Integer> partitions = partitionsOf(holder.topicPartitions());
            partitions.removeAll(covered);
            if (partitions.isEmpty()) {
                continue;
            }
            try {
                out.addAll(ask.apply(peer(holder.hostInfo()), partitions));
                covered.addAll(partitions);
            } catch (ApiProblemException e) {
                failure = e; // a standby may answer for these partitions below
            }
        }
        int expected = partitions.count();
        if (covered.size() < expected) {
            // Partitions whose active holder did not answer: from a caught-up standby copy, if any.
            for (StreamsMetadata holder : holders) {
                Set<Integer> partitions = partitionsOf(holder.standbyTopicPartitions());
                partitions.removeAll(covered);
                if (partitions.isEmpty()) {
                    continue;
                }
                try {
                    StatusPeer.Standby answer = askStandby.apply(peer(holder.hostInfo()), partitions);
                    answer.statuses().stream().filter(keep).forEach(out::add);
                    covered.addAll(partitions);
                    StandbyAnswers.record(answer.offsetLag());
                } catch (ApiProblemException e) {
                    failure = e;
                }
            }
        }
        if (covered.size() < expected) {
            ApiProblemException e = local.unavailable(new IllegalStateException("only " + covered.size() + " of " + expected
                    + " partitions of the cell store are held by a running instance"));
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        return out;
    }

    private static Set<Integer> partitionsOf(Set<TopicPartition> topicPartitions) {
        Set<Integer> partitions = new HashSet<>();
        for (TopicPartition tp : topicPartitions) {
            if (SOURCE_TOPICS.contains(tp.topic())) {
                partitions.add(tp.partition());
            }
        }
        return partitions;
    }

    private StatusPeer peer(HostInfo host) {
        if (host.equals(status.self())) {
            return local;
        }
        return new HttpStatusPeer(http, host, settings.getPeerTimeout(), settings.getRetryAfter());
    }

}
