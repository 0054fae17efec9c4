package sh.reform.status.query;

import java.time.OffsetDateTime;
import java.util.List;

import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.status.rollup.Rollups;

/**
 * One case in one district, in a list (matrix, case, district).
 *
 * @param origin          the district is the case's origin (not expected to replicate it)
 * @param stage           overall stage (NOT_STARTED when nobody reported)
 * @param health          GREEN / YELLOW / RED, UNKNOWN when nothing is due
 * @param progress        planned measures live / planned, 0–1; null when nothing is planned
 * @param supervision     the cell's supervision at a glance; null when it has none
 */
public record CellSummary(String caseId, String caseTitleZh, String districtCode, String districtNameZh, boolean origin,
                          String stage, String health, List<String> healthRules, int measuresLive, int measuresPlanned,
                          Double progress, long eventCount, OffsetDateTime lastReportAt, Supervision supervision) {

    /**
     * Claimed vs verified and the deadline, for the matrix.
     *
     * @param measuresVerifiedLive planned measures live whose claim is verified (or needs no review)
     * @param deadline             NONE / ON_TRACK / DUE_SOON / OVERDUE / DONE
     */
    public record Supervision(boolean assigned, boolean acknowledged, java.time.LocalDate dueDate, String deadline, Integer daysToDue,
                              int measuresVerifiedLive, boolean verifiedLive, int claimsPending, int claimsReturned, int openUrges,
                              boolean closed) {

        static Supervision of(sh.reform.schema.status.SupervisionState s) {
            return s == null ? null : new Supervision(s.getAssigned(), s.getAcknowledged(), s.getDueDate(), s.getDeadline().name(),
                    s.getDaysToDue(), s.getMeasuresVerifiedLive(), s.getVerifiedLive(), s.getClaimsPending(), s.getClaimsReturned(),
                    s.getOpenUrges(), s.getClosed());
        }
    }

    /** @param s the cell's status; null when nobody reported on it (NOT_STARTED) */
    static CellSummary of(CatalogCase c, Jurisdiction d, ReplicationStatus s) {
        if (s == null) {
            return new CellSummary(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), d.code().equals(c.getOriginDistrict()),
                    "NOT_STARTED", "UNKNOWN", List.of(), 0, 0, null, 0, null, null);
        }
        java.util.OptionalDouble p = Rollups.progress(s);
        Double progress = p.isPresent() ? Math.round(p.getAsDouble() * 10_000) / 10_000.0 : null;
        return new CellSummary(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), d.code().equals(c.getOriginDistrict()),
                s.getOverallStage().name(), s.getHealth().name(), List.copyOf(s.getHealthRules()),
                s.getMeasuresLive(), s.getMeasuresPlanned(), progress, s.getEventCount(), ShanghaiTime.of(s.getLastReportAt()),
                Supervision.of(s.getSupervision()));
    }
}
