package sh.reform.status.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.StatusSettings;
import sh.reform.status.fold.CellState;
import sh.reform.status.topology.CatalogCases;
import sh.reform.status.topology.StatusStreams;
import sh.reform.status.topology.StatusTopology;

/**
 * This instance's state stores through Kafka Streams interactive queries: the active copies of the
 * cell-state partitions it holds, and the global catalog store. A store that is not queryable (the
 * client is starting, restoring or rebalancing, or the partition moved away) is answered 503 with
 * Retry-After, never with an empty result.
 */
@Component
class LocalStores implements StatusPeer {

    private final StatusStreams status;
    private final StatusSettings settings;
    private final EventPartitions eventPartitions;

    LocalStores(StatusStreams status, StatusSettings settings, EventPartitions eventPartitions) {
        this.status = status;
        this.settings = settings;
        this.eventPartitions = eventPartitions;
    }

    /** The running client, or 503. */
    KafkaStreams streams() {
        KafkaStreams streams = status.streams();
        if (streams == null) {
            throw unavailable(new IllegalStateException("the replication-status streams are not started"));
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw unavailable(new IllegalStateException("the replication-status streams are " + state));
        }
        return streams;
    }

    ApiProblemException unavailable(Throwable cause) {
        return NotQueryable.of(settings.getRetryAfter(), cause);
    }

    private record HeldCatalog(KafkaStreams streams, CatalogCases cases) {
    }

    private volatile HeldCatalog catalog;

    /**
     * The published cases, from the global store every instance holds whole. One view per Kafka Streams
     * client, so its cache of decoded cases (checked against the stored bytes on every read) lives
     * across queries instead of decoding the whole catalog again for each.
     */
    CatalogCases catalog() {
        KafkaStreams streams = streams();
        HeldCatalog held = catalog;
        if (held != null && held.streams() == streams) {
            return held.cases();
        }
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    StatusTopology.CATALOG_STORE, QueryableStoreTypes.keyValueStore()));
            CatalogCases cases = new CatalogCases(store, status.avroReader());
            catalog = new HeldCatalog(streams, cases);
            return cases;
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<ReplicationStatus> cell(String cellKey, int partition) {
        try {
            byte[] bytes = partition(partition).get(cellKey);
            return Optional.ofNullable(bytes).map(CellState::statusFromBytes);
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<ReplicationStatus> cells(Set<String> caseIds, Set<Integer> partitions) {
        List<ReplicationStatus> out = new ArrayList<>();
        try {
            for (int p : partitions) {
                collectCases(partition(p), caseIds, out);
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
        return out;
    }

    @Override
    public List<ReplicationStatus> cellsOf(Set<String> caseIds, List<String> districtCodes, Set<Integer> partitions) {
        KafkaStreams streams = streams();
        Map<Integer, ReadOnlyKeyValueStore<String, byte[]>> stores = new HashMap<>();
        List<ReplicationStatus> out = new ArrayList<>();
        try {
            // Every partition asked for must be held here: a missing one is refused, not answered empty.
            for (int p : partitions) {
                ReadOnlyKeyValueStore<String, byte[]> store = partition(p);
                store.approximateNumEntries(); // the handle is lazy: this throws if the partition is not held here
                stores.put(p, store);
            }
            if (caseIds.isEmpty() || districtCodes.isEmpty()) {
                return out;
            }
            // One key checked against Kafka Streams' own answer; the others computed (see EventPartitions).
            int count = checkedPartitionCount(streams, Topic.cellKey(caseIds.iterator().next(), districtCodes.get(0)));
            for (String caseId : caseIds) {
                for (String code : districtCodes) {
                    String key = Topic.cellKey(caseId, code);
                    int p = count > 0 ? EventPartitions.of(key, count) : partitionOf(streams, key);
                    ReadOnlyKeyValueStore<String, byte[]> store = stores.get(p);
                    if (store == null) {
                        continue; // another instance answers for this partition
                    }
                    byte[] bytes = store.get(key);
                    if (bytes != null) {
                        out.add(CellState.statusFromBytes(bytes));
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
        return out;
    }

    /**
     * The event topics' partition count when the computed partition of {@code probe} agrees with Kafka
     * Streams' metadata; 0 (ask the metadata per key) when it does not.
     */
    private int checkedPartitionCount(KafkaStreams streams, String probe) {
        int count = eventPartitions.count();
        int streamsPartition = partitionOf(streams, probe);
        if (EventPartitions.agrees(probe, count, streamsPartition)) {
            return count;
        }
        org.slf4j.LoggerFactory.getLogger(LocalStores.class).warn(
                "the partition of {} is {} by Kafka Streams but {} by the default partitioner over {} partitions; "
                        + "asking Kafka Streams per key", probe, streamsPartition, EventPartitions.of(probe, count), count);
        return 0;
    }

    private int partitionOf(KafkaStreams streams, String key) {
        KeyQueryMetadata where = streams.queryMetadataForKey(StatusTopology.CELL_STATE_STORE, key, new StringSerializer());
        if (where == null || where.partition() < 0) {
            throw unavailable(new IllegalStateException("the partition of " + key + " is not known yet"));
        }
        return where.partition();
    }

    @Override
    public Standby standby(String cellKey, Set<String> caseIds, Set<Integer> partitions) {
        long lag = standbyLag(StatusTopology.CELL_STATE_STORE, partitions);
        List<ReplicationStatus> out = new ArrayList<>();
        try {
            for (int p : partitions) {
                ReadOnlyKeyValueStore<String, byte[]> store = anyCopy(p);
                if (cellKey != null) {
                    byte[] bytes = store.get(cellKey);
                    if (bytes != null) {
                        out.add(CellState.statusFromBytes(bytes));
                    }
                } else {
                    collectCases(store, caseIds, out);
                }
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
        return new Standby(out, lag);
    }

    @Override
    public Standby versionsOf(Set<String> caseIds, List<String> districtCodes, Set<Integer> partitions, Instant asOf,
                              boolean standby) {
        KafkaStreams streams = streams();
        long lag = standby ? standbyLag(StatusTopology.CELL_HISTORY_STORE, partitions) : 0;
        List<ReplicationStatus> out = new ArrayList<>();
        try {
            // Every partition asked for must be held here (the history lives in the same task as the cell states):
            // a missing one is refused, not answered empty.
            for (int p : partitions) {
                (standby ? anyCopy(p) : partition(p)).approximateNumEntries();
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
        if (caseIds.isEmpty() || districtCodes.isEmpty() || partitions.isEmpty()) {
            return new Standby(out, lag);
        }
        int count = checkedPartitionCount(streams, Topic.cellKey(caseIds.iterator().next(), districtCodes.get(0)));
        for (String caseId : caseIds) {
            for (String code : districtCodes) {
                String key = Topic.cellKey(caseId, code);
                int p = count > 0 ? EventPartitions.of(key, count) : partitionOf(streams, key);
                if (!partitions.contains(p)) {
                    continue; // another instance answers for this partition
                }
                StateQueryRequest<VersionedRecord<byte[]>> request = StateQueryRequest.inStore(StatusTopology.CELL_HISTORY_STORE)
                        .withQuery(VersionedKeyQuery.<String, byte[]>withKey(key).asOf(asOf))
                        .withPartitions(Set.of(p));
                QueryResult<VersionedRecord<byte[]>> result = streams.query(standby ? request : request.requireActive())
                        .getPartitionResults().get(p);
                if (result == null || result.isFailure()) {
                    throw unavailable(new IllegalStateException("partition " + p + " of the history store cannot be read here: "
                            + (result == null ? "no answer" : result.getFailureReason() + " " + result.getFailureMessage())));
                }
                VersionedRecord<byte[]> version = result.getResult();
                if (version != null) {
                    out.add(CellState.decodeStatus(version.value()));
                }
            }
        }
        return new Standby(out, lag);
    }

    /** The largest changelog lag of this instance's copies of the partitions of a store; 503 when one is missing or too far behind. */
    private long standbyLag(String storeName, Set<Integer> partitions) {
        KafkaStreams streams = streams();
        long lag = 0;
        try {
            Map<Integer, LagInfo> lags = streams.allLocalStorePartitionLags().getOrDefault(storeName, Map.of());
            for (int p : partitions) {
                LagInfo info = lags.get(p);
                if (info == null) {
                    throw unavailable(new IllegalStateException("this instance holds no copy of partition " + p));
                }
                lag = Math.max(lag, info.offsetLag());
            }
        } catch (RuntimeException e) {
            if (e instanceof ApiProblemException problem) {
                throw problem;
            }
            throw unavailable(e);
        }
        if (lag > settings.getStandbyMaxLag()) {
            logRefusal(partitions, lag);
            throw unavailable(new IllegalStateException("the standby copy is " + lag + " records behind (more than "
                    + settings.getStandbyMaxLag() + ")"));
        }
        return lag;
    }

    private volatile long lastRefusalLog;

    /** At most one line per 5 s: refusals come in bursts, one per query, while an instance is lost. */
    private void logRefusal(Set<Integer> partitions, long lag) {
        long now = System.currentTimeMillis();
        if (now - lastRefusalLog > 5000) {
            lastRefusalLog = now;
            org.slf4j.LoggerFactory.getLogger(LocalStores.class).info(
                    "standby read of partitions {} refused: {} changelog records behind (reform.status.standby-max-lag={}); lags {}",
                    partitions, lag, settings.getStandbyMaxLag(),
                    status.streams() == null ? "-" : status.streams().allLocalStorePartitionLags().get(StatusTopology.CELL_STATE_STORE));
        }
    }

    /** Every stored status of these cases (all when empty) in one partition's store: a prefix scan per case. */
    private static void collectCases(ReadOnlyKeyValueStore<String, byte[]> store, Set<String> caseIds, List<ReplicationStatus> out) {
        if (caseIds.isEmpty()) {
            collect(store.all(), out);
        } else {
            for (String caseId : caseIds) {
                collect(store.prefixScan(caseId + "|", new StringSerializer()), out);
            }
        }
    }

    private static void collect(KeyValueIterator<String, byte[]> it, List<ReplicationStatus> out) {
        try (it) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                out.add(CellState.statusFromBytes(kv.value));
            }
        }
    }

    /** Any copy of one partition this instance holds, active or standby (stale stores allowed). */
    private ReadOnlyKeyValueStore<String, byte[]> anyCopy(int partition) {
        return streams().store(StoreQueryParameters.fromNameAndType(StatusTopology.CELL_STATE_STORE,
                QueryableStoreTypes.<String, byte[]>keyValueStore()).withPartition(partition).enableStaleStores());
    }

    /** The active copy of one partition; throws InvalidStateStoreException when this instance does not hold it. */
    private ReadOnlyKeyValueStore<String, byte[]> partition(int partition) {
        return streams().store(StoreQueryParameters.fromNameAndType(StatusTopology.CELL_STATE_STORE,
                QueryableStoreTypes.<String, byte[]>keyValueStore()).withPartition(partition));
    }
}
