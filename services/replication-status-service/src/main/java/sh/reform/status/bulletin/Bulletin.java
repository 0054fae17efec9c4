package sh.reform.status.bulletin;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import sh.reform.status.scoring.DistrictScore;

/**
 * A bulletin (通报) of a batch over a period, as computed from the status as of the period's end and compared with
 * the previous period. The same record is previewed, issued (as JSON inside {@code IssuedBulletin}), rendered to
 * .xlsx and PDF, and read back.
 *
 * @param asOf         the instant described: the last millisecond of the period (Asia/Shanghai)
 * @param city         city-wide figures
 * @param districts    per district, in ranking order (比学赶超, as the rollups rank them)
 * @param leaders      districts ranked first (ties included), at most those of the top three ranks
 * @param laggards     districts of the bottom three ranks, last first
 * @param outcomes     outcome figures of the adopting districts beside the origin district's reference value
 * @param trend        change from the previous period
 * @param scores       district scores (量化考核) with their breakdown
 */
public record Bulletin(String batchId, String periodCode, String periodKind, String periodLabelZh, String periodLabelEn,
                       LocalDate periodFirst, LocalDate periodLast, OffsetDateTime asOf, String previousPeriodCode,
                       OffsetDateTime previousAsOf, Rates city, List<DistrictLine> districts, List<RedCell> redCells,
                       List<OverdueItem> overdue, List<UrgeItem> urges, List<ReturnedClaim> returnedClaims,
                       List<DistrictLine> leaders, List<DistrictLine> laggards, List<OutcomeFigure> outcomes, Trend trend,
                       List<DistrictScore> scores) {

    /** Counts over eligible cells (a case's origin district left out) and the rates, 0–1 (null when nothing is eligible). */
    public record Rates(int eligible, int adopted, int live, int verifiedLive, int red, int overdue, Double adoptionRate,
                        Double liveRate, Double verifiedLiveRate) {
    }

    public record DistrictLine(int rank, String districtCode, String nameZh, String nameEn, Rates rates) {
    }

    public record RedCell(String caseId, String caseTitleZh, String districtCode, String districtNameZh, List<String> rules,
                          String reasonZh, String reasonEn) {
    }

    /** An assigned cell past its due date and not done, as of the period's end. */
    public record OverdueItem(String caseId, String caseTitleZh, String districtCode, String districtNameZh, LocalDate dueDate,
                              Integer daysOverdue, boolean acknowledged, String stage) {
    }

    /** An urge made within the period (or still open at its end), and whether the district answered by then. */
    public record UrgeItem(String caseId, String caseTitleZh, String districtCode, String districtNameZh, OffsetDateTime urgedAt,
                           String message, LocalDate replyBy, String level, boolean answered, OffsetDateTime respondedAt) {
    }

    /** A claim of a district the city office returned, standing at the period's end. */
    public record ReturnedClaim(String caseId, String caseTitleZh, String districtCode, String districtNameZh, String kind,
                                String subject, String claim, OffsetDateTime reviewedAt, String reason) {
    }

    /**
     * @param ratio value / reference (null without a usable reference)
     */
    public record OutcomeFigure(String caseId, String caseTitleZh, String districtCode, String districtNameZh, String metricId,
                                String metricNameZh, String period, double value, String unit, Double referenceValue,
                                Double ratio) {
    }

    /**
     * @param city      this period minus the previous one, city-wide (rates in points of 0–1; null where either is null)
     * @param districts the same per district, in the order of {@link Bulletin#districts}
     */
    public record Trend(Delta city, List<DistrictDelta> districts) {
    }

    public record Delta(int adopted, int live, int verifiedLive, int red, int overdue, Double adoptionRate, Double liveRate,
                        Double verifiedLiveRate) {
    }

    /** @param rankChange previous rank minus this rank (positive: moved up) */
    public record DistrictDelta(String districtCode, String nameZh, Delta delta, int rankChange, Double scoreChange) {
    }
}
