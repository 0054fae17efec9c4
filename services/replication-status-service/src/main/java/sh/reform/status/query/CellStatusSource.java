package sh.reform.status.query;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import sh.reform.schema.status.ReplicationStatus;

/**
 * Where the live status of cells is read from, whichever instance holds them. With one instance
 * everything is local; with several, single cells go to the instance that holds the key and
 * lists are gathered from all of them. Either answers completely or throws a 503 problem.
 */
public interface CellStatusSource {

    /** The live status of one cell; empty when nobody has reported on it. */
    Optional<ReplicationStatus> cell(String caseId, String districtCode);

    /** The live status of every reported cell of these cases (every case when empty). */
    List<ReplicationStatus> cells(Set<String> caseIds);

    /** The live status of the cells {@code caseIds × districtCodes}; unreported cells are absent. */
    List<ReplicationStatus> cellsOf(Set<String> caseIds, List<String> districtCodes);

    /**
     * The history versions of the cells {@code caseIds × districtCodes} as of {@code asOf}: for each, the fold of its
     * events that occurred at or before {@code asOf}, not yet evaluated (see
     * {@link sh.reform.status.fold.StatusFold#evaluateVersion}); cells with no such event are absent. A lookup per
     * cell in the versioned history store of whichever instance holds it, not a replay.
     */
    List<ReplicationStatus> versionsAsOf(Set<String> caseIds, List<String> districtCodes, java.time.Instant asOf);
}
