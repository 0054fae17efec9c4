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
}
