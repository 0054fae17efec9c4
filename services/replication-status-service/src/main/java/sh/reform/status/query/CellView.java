package sh.reform.status.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.status.fold.HealthEvaluation;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.rollup.Rollups;

/**
 * The full status of one case in one district: adoption, each measure, metrics beside the origin's
 * reference values, health with its reasons, lifecycle flags and the history of transitions.
 * Times in Asia/Shanghai.
 *
 * @param asOf null for the live status, else the instant it was replayed to
 */
public record CellView(String caseId, String caseTitleZh, String districtCode, String districtNameZh, String districtNameEn,
                       boolean origin, String decision, String leadAgency, LocalDate targetDate, String stage,
                       Progress progress, HealthView health, List<MeasureView> measures, List<MetricView> metrics,
                       List<FlagView> flags, List<TransitionView> history, long eventCount, OffsetDateTime lastReportAt,
                       OffsetDateTime asOf) {

    /** @param ratio planned measures live / planned, 0–1; null when nothing is planned */
    public record Progress(int measuresLive, int measuresPlanned, Double ratio, Double coverage) {
    }

    /**
     * @param colour      GREEN / YELLOW / RED / UNKNOWN; {@code rules} and reasons are those that set it
     * @param evaluatedAt the evaluation that last changed the cell (an event, or the daily re-evaluation that
     *                    changed its colour); a colour that stays the same is not re-stamped
     */
    public record HealthView(String colour, List<String> rules, String reasonZh, String reasonEn, OffsetDateTime evaluatedAt) {
    }

    public record MeasureView(String measureId, String nameZh, boolean planned, String stage, Long covered, Long total,
                              String coverageUnit, String serviceItemCode, LocalDate effectiveDate,
                              OffsetDateTime firstLiveAt, OffsetDateTime changedAt) {
    }

    /** @param referenceValue the origin district's figure for the metric, when it stated one */
    public record MetricView(String metricId, String nameZh, String period, double value, String unit,
                             Double referenceValue, OffsetDateTime reportedAt, String eventId) {
    }

    public record FlagView(String eventId, String code, String messageZh, String messageEn) {
    }

    /** @param subject "case" for the overall stage, else a measure id */
    public record TransitionView(OffsetDateTime at, String eventId, String subject, String from, String to) {
    }

    static CellView of(CatalogCase c, Jurisdiction d, ReplicationStatus s, HealthRules rules, Instant asOf) {
        Instant evaluatedAt = s.getEvaluatedAt() == null || s.getEvaluatedAt().equals(Instant.EPOCH) ? null : s.getEvaluatedAt();
        HealthEvaluation why = rules.evaluate(s, evaluatedAt == null ? (asOf == null ? Instant.now() : asOf) : evaluatedAt);
        boolean evaluated = evaluatedAt != null;
        HealthView health = new HealthView(s.getHealth().name(), List.copyOf(s.getHealthRules()),
                evaluated ? why.reasonZh() : null, evaluated ? why.reasonEn() : null, ShanghaiTime.of(evaluatedAt));
        Double ratio = Rollups.progress(s).isPresent() ? round(Rollups.progress(s).getAsDouble()) : null;
        Double coverage = Rollups.coverage(s).isPresent() ? round(Rollups.coverage(s).getAsDouble()) : null;
        return new CellView(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), d.nameEn(),
                d.code().equals(c.getOriginDistrict()),
                s.getDecision() == null ? null : s.getDecision().name(), s.getLeadAgency(), s.getTargetDate(),
                s.getOverallStage().name(),
                new Progress(s.getMeasuresLive(), s.getMeasuresPlanned(), ratio, coverage),
                health,
                s.getMeasures().stream().map(m -> new MeasureView(m.getMeasureId(), measureName(c, m.getMeasureId()),
                        m.getPlanned(), m.getStage() == null ? null : m.getStage().name(),
                        m.getCoverage() == null ? null : m.getCoverage().getCovered(),
                        m.getCoverage() == null ? null : m.getCoverage().getTotal(),
                        m.getCoverage() == null ? null : m.getCoverage().getUnit(),
                        m.getServiceItemCode(), m.getEffectiveDate(), ShanghaiTime.of(m.getFirstLiveAt()),
                        ShanghaiTime.of(m.getChangedAt()))).toList(),
                s.getMetrics().stream().map(m -> new MetricView(m.getMetricId(), metricName(c, m.getMetricId()), m.getPeriod(),
                        m.getValue(), m.getUnit(), m.getReferenceValue(), ShanghaiTime.of(m.getReportedAt()), m.getEventId())).toList(),
                s.getFlags().stream().map(f -> new FlagView(f.getEventId(), f.getCode(), f.getMessageZh(), f.getMessageEn())).toList(),
                s.getHistory().stream().map(t -> new TransitionView(ShanghaiTime.of(t.getAt()), t.getEventId(), t.getSubject(),
                        t.getFrom(), t.getTo())).toList(),
                s.getEventCount(), ShanghaiTime.of(s.getLastReportAt()), ShanghaiTime.of(asOf));
    }

    private static String measureName(CatalogCase c, String measureId) {
        return c.getMeasures().stream().filter(m -> m.getMeasureId().equals(measureId))
                .map(CatalogMeasure::getNameZh).findFirst().orElse(null);
    }

    private static String metricName(CatalogCase c, String metricId) {
        return c.getMetrics().stream().filter(m -> m.getMetricId().equals(metricId))
                .map(CatalogMetric::getNameZh).findFirst().orElse(null);
    }

    private static Double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
