package sh.reform.status.query;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The supervision (督办) to-do of a batch: every cell the city office supervises or that has a claim waiting
 * for review or sent back, worst first (overdue, then due soon, then by case rank). The city office reads it
 * whole; a district reads its own ({@code district}).
 *
 * @param totals counts for the to-do's headings
 */
public record SupervisionView(String batch, String district, OffsetDateTime asOf, Totals totals, List<Item> items) {

    /**
     * @param pendingReviews  claims waiting for the city office's review
     * @param returnedClaims  claims sent back, waiting for the district
     * @param unansweredUrges urges not yet answered
     * @param toAcknowledge   assignments the district has not acknowledged
     */
    public record Totals(int cells, int overdue, int dueSoon, int pendingReviews, int returnedClaims, int unansweredUrges,
                         int toAcknowledge, int verifiedLive, int closed) {
    }

    /**
     * One supervised cell.
     *
     * @param claims only the claims that need someone: PENDING (the city office) and RETURNED (the district)
     */
    public record Item(String caseId, int caseRank, String caseTitleZh, String districtCode, String districtNameZh,
                       String districtNameEn, String stage, String health, boolean assigned, OffsetDateTime assignedAt,
                       LocalDate dueDate, List<CellView.MeasureDueView> measureDueDates, String deadline, Integer daysToDue,
                       boolean acknowledged, String leadAgency, String contactName, List<CellView.UrgeView> urges,
                       List<CellView.ClaimView> claims, int measuresLive, int measuresPlanned, int measuresVerifiedLive,
                       boolean verifiedLive, boolean closed) {
    }
}
