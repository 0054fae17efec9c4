package sh.reform.status.query;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import sh.reform.schema.status.ReplicationStatus;

/**
 * One instance of the service as a holder of cell states: this one ({@link LocalStores}) or another,
 * reached over HTTP ({@link HttpStatusPeer}). Each call names the store partitions it expects the
 * instance to hold as the active copy; an instance that does not (any more) hold one answers
 * "unavailable" instead of an answer missing that partition.
 */
interface StatusPeer {

    /** The stored status of one cell in store partition {@code partition}; empty when nobody reported on it. */
    Optional<ReplicationStatus> cell(String cellKey, int partition);

    /** Every stored status of these cases (all when {@code caseIds} is empty) in these partitions. */
    List<ReplicationStatus> cells(Set<String> caseIds, Set<Integer> partitions);

    /**
     * The stored statuses of the cells {@code caseIds × districtCodes} whose keys lie in these partitions,
     * by a point read per cell, not a scan: what a page of the national matrix needs. Cells nobody
     * reported on are absent.
     */
    List<ReplicationStatus> cellsOf(Set<String> caseIds, List<String> districtCodes, Set<Integer> partitions);

    /**
     * The same from this instance's standby copy of the partitions (Kafka Streams {@code enableStaleStores}),
     * for the seconds in which their active instance is lost and the group has not moved them yet. Refused
     * ("unavailable") when the instance holds no copy or its copy lags the changelog by more than the
     * service's {@code reform.status.standby-max-lag}. {@code cellKey} non-null asks for that one cell.
     */
    Standby standby(String cellKey, Set<String> caseIds, Set<Integer> partitions);

    /**
     * The history versions ({@link sh.reform.status.fold.StatusFold#versionsFrom}) of the cells {@code caseIds ×
     * districtCodes} whose keys lie in these partitions, each the latest at or before {@code asOf} (a point lookup per
     * cell in the versioned history store, IQv2 {@code VersionedKeyQuery.asOf}); not evaluated. Cells with no event
     * at or before {@code asOf} are absent. {@code standby}: from this instance's standby copy, refused like
     * {@link #standby} when it lags; otherwise the active copy only. The lag of the copy that answered is returned.
     */
    Standby versionsOf(Set<String> caseIds, List<String> districtCodes, Set<Integer> partitions, java.time.Instant asOf,
                       boolean standby);

    /** What a standby copy answered, and how many changelog records it was behind ({@code offsetLag}). */
    record Standby(List<ReplicationStatus> statuses, long offsetLag) {
    }
}
