package sh.reform.dashboard.api;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The replication-status-service's JSON views, as far as the dashboard's server reads them (exports,
 * demo). Field names are the service's; fields the dashboard does not need are left out and ignored.
 */
public final class StatusViews {

    private StatusViews() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Matrix(String batchId, OffsetDateTime asOf, List<DistrictRef> districts, List<Row> cases) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DistrictRef(String code, String nameZh, String nameEn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Row(String caseId, int rank, String titleZh, String originDistrict, List<Cell> cells) {
    }

    /** One case in one district, in a list (the service's {@code CellSummary}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cell(String caseId, String caseTitleZh, String districtCode, String districtNameZh, boolean origin,
                       String stage, String health, List<String> healthRules, int measuresLive, int measuresPlanned,
                       Double progress, long eventCount, OffsetDateTime lastReportAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CaseStatus(String caseId, String batchId, int rank, String titleZh, String titleEn,
                             String originDistrict, String originNameZh, OffsetDateTime asOf, List<Cell> districts,
                             CaseRollup rollup) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CaseRollup(int eligible, int adopting, int live, int red, Double adoptionRate, Double averageCoverage,
                             Double averageProgress) {
    }

    /** The full status of one case in one district (the service's {@code CellView}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CellDetail(String caseId, String districtCode, String districtNameZh, boolean origin, String decision,
                             String leadAgency, LocalDate targetDate, String stage, HealthView health,
                             List<MeasureView> measures, List<MetricView> metrics, List<TransitionView> history,
                             long eventCount, OffsetDateTime lastReportAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HealthView(String colour, List<String> rules, String reasonZh, String reasonEn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MeasureView(String measureId, String nameZh, boolean planned, String stage, Long covered, Long total,
                              String coverageUnit, String serviceItemCode, LocalDate effectiveDate,
                              OffsetDateTime changedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MetricView(String metricId, String nameZh, String period, double value, String unit,
                             Double referenceValue, OffsetDateTime reportedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TransitionView(OffsetDateTime at, String eventId, String subject, String from, String to) {
    }
}
