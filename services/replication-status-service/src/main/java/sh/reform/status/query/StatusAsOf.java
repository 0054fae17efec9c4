package sh.reform.status.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.status.ReplicationStatus;

/**
 * The status of a batch as it stood at a past instant, for the features built on top of the status API
 * (bulletins, scores). It goes through the same entry point as {@code ?asOf=} on the status API, so whatever
 * computes as-of answers there computes these too, and a bulletin says what the as-of API says.
 */
@Component
public class StatusAsOf {

    private final StatusQueries queries;

    StatusAsOf(StatusQueries queries) {
        this.queries = queries;
    }

    /**
     * @param cases     the batch's cases, by rank
     * @param districts the reporting districts, in reference order
     * @param cells     statuses by cell key ({@code caseId|districtCode}); a missing cell is NOT_STARTED
     */
    public record Snapshot(String batchId, Instant asOf, List<CatalogCase> cases, List<Jurisdiction> districts,
                           Map<String, ReplicationStatus> cells) {
    }

    /** The batch as of {@code asOf}; 404 (problem) for a batch without cases. */
    public Snapshot of(String batchId, Instant asOf) {
        return queries.snapshot(batchId, asOf);
    }
}
