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
import sh.reform.schema.status.SupervisionState;
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
                       OffsetDateTime asOf, SupervisionView supervision) {

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

    /**
     * @param subject "case" for the overall stage, "supervision" for a supervision step, else a measure id
     * @param by      who (the principal that reported or acted)
     * @param channel through which channel (MANUAL_ENTRY, FILE_IMPORT, ONE_NETWORK_SERVICES, …)
     */
    public record TransitionView(OffsetDateTime at, String eventId, String subject, String from, String to,
                                 String by, String channel, String detail) {
    }

    /**
     * The supervision (督办) state of the cell; null when it has none.
     *
     * @param deadline    NONE / ON_TRACK / DUE_SOON / OVERDUE / DONE, as of the last evaluation
     * @param daysToDue   days to the nearest pending due date (negative when overdue)
     * @param verifiedLive every planned measure live and its claim verified (or needing no review)
     * @param closed      办结: assigned and verified live
     */
    public record SupervisionView(boolean assigned, OffsetDateTime assignedAt, String assignedBy, String assignmentEventId,
                                  LocalDate dueDate, List<MeasureDueView> measureDueDates, boolean acknowledged,
                                  OffsetDateTime acknowledgedAt, String leadAgency, String contactName, String contactPhone,
                                  String deadline, Integer daysToDue, List<UrgeView> urges, int openUrges, List<ClaimView> claims,
                                  int claimsPending, int claimsVerified, int claimsReturned, int measuresVerifiedLive,
                                  boolean verifiedLive, boolean closed) {

        static SupervisionView of(SupervisionState s) {
            if (s == null) {
                return null;
            }
            return new SupervisionView(s.getAssigned(), ShanghaiTime.of(s.getAssignedAt()), s.getAssignedBy(), s.getAssignmentEventId(),
                    s.getDueDate(), s.getMeasureDueDates().stream().map(d -> new MeasureDueView(d.getMeasureId(), d.getDueDate())).toList(),
                    s.getAcknowledged(), ShanghaiTime.of(s.getAcknowledgedAt()), s.getLeadAgency(), s.getContactName(), s.getContactPhone(),
                    s.getDeadline().name(), s.getDaysToDue(),
                    s.getUrges().stream().map(u -> new UrgeView(u.getUrgeEventId(), ShanghaiTime.of(u.getUrgedAt()), u.getUrgedBy(),
                            u.getMessage(), u.getMeasureId(), u.getReplyBy(), u.getInitialLevel().name(), u.getLevel().name(),
                            u.getAnswered(), ShanghaiTime.of(u.getRespondedAt()), u.getRespondedBy(), u.getDone(), u.getBlockers(),
                            u.getProposedDate())).toList(),
                    s.getOpenUrges(),
                    s.getClaims().stream().map(c -> new ClaimView(c.getClaimEventId(), c.getKind().name(), c.getSubject(), c.getClaim(),
                            ShanghaiTime.of(c.getClaimedAt()), c.getReview().name(), ShanghaiTime.of(c.getReviewedAt()),
                            c.getReviewedBy(), c.getReason())).toList(),
                    s.getClaimsPending(), s.getClaimsVerified(), s.getClaimsReturned(), s.getMeasuresVerifiedLive(),
                    s.getVerifiedLive(), s.getClosed());
        }
    }

    public record MeasureDueView(String measureId, LocalDate dueDate) {
    }

    /** @param level the current level (one above {@code initialLevel} once the reply-by date passed unanswered) */
    public record UrgeView(String urgeEventId, OffsetDateTime urgedAt, String urgedBy, String message, String measureId,
                           LocalDate replyBy, String initialLevel, String level, boolean answered, OffsetDateTime respondedAt,
                           String respondedBy, String done, String blockers, LocalDate proposedDate) {
    }

    /** @param review NOT_REQUIRED / PENDING / ACCEPTED / RETURNED */
    public record ClaimView(String claimEventId, String kind, String subject, String claim, OffsetDateTime claimedAt,
                            String review, OffsetDateTime reviewedAt, String reviewedBy, String reason) {
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
                        t.getFrom(), t.getTo(), t.getBy(), t.getChannel(), t.getDetail())).toList(),
                s.getEventCount(), ShanghaiTime.of(s.getLastReportAt()), ShanghaiTime.of(asOf),
                SupervisionView.of(s.getSupervision()));
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
