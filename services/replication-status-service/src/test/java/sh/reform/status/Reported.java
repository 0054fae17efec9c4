package sh.reform.status;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.common.ReportSource;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.status.fold.HealthRules;

/** Reported events of any cell, for the topology and service tests; times are Shanghai local. */
public final class Reported {

    private Reported() {
    }

    /** A Shanghai local date ("2026-01-10" = 10:00) or date-time ("2026-01-10T15:30") as an instant. */
    public static Instant at(String shanghaiTime) {
        LocalDateTime local = shanghaiTime.contains("T")
                ? LocalDateTime.parse(shanghaiTime)
                : LocalDate.parse(shanghaiTime).atTime(10, 0);
        return local.atZone(HealthRules.SHANGHAI).toInstant();
    }

    public static CaseAdoptionReported adoption(String eventId, String caseId, String district, Instant occurredAt,
                                                AdoptionDecision decision, LocalDate targetDate, String... plannedMeasureIds) {
        return CaseAdoptionReported.newBuilder()
                .setEnvelope(envelope(eventId, caseId, district, occurredAt))
                .setDecision(decision)
                .setLeadAgency(decision == AdoptionDecision.ADOPTED || decision == AdoptionDecision.INTENDS ? "区市场监管局" : null)
                .setTargetDate(targetDate)
                .setPlannedMeasureIds(List.of(plannedMeasureIds))
                .build();
    }

    public static MeasureRolloutReported rollout(String eventId, String caseId, String district, Instant occurredAt,
                                                 String measureId, RolloutStage stage) {
        return MeasureRolloutReported.newBuilder()
                .setEnvelope(envelope(eventId, caseId, district, occurredAt))
                .setMeasureId(measureId)
                .setStage(stage)
                .build();
    }

    public static OutcomeReported outcome(String eventId, String caseId, String district, Instant occurredAt,
                                          String metricId, String period, double value) {
        return OutcomeReported.newBuilder()
                .setEnvelope(envelope(eventId, caseId, district, occurredAt))
                .setMetricId(metricId)
                .setValue(value)
                .setUnit("家")
                .setPeriod(period)
                .build();
    }

    /** A supervision step of the city office (assign, urge, review) or the district (acknowledge, respond). */
    public static sh.reform.schema.supervision.SupervisionEvent supervision(String eventId, String caseId, String district,
                                                                             Instant occurredAt, Object action) {
        EventEnvelope env = envelope(eventId, caseId, district, occurredAt);
        boolean city = action instanceof sh.reform.schema.supervision.Assigned || action instanceof sh.reform.schema.supervision.Urged
                || action instanceof sh.reform.schema.supervision.ClaimReviewed;
        if (city) {
            env.setReporter(Reporter.newBuilder().setPrincipal("city-office").setAgency("市营商办").setRole(ReporterRole.CITY_OFFICE).build());
        }
        return sh.reform.schema.supervision.SupervisionEvent.newBuilder().setEnvelope(env).setAction(action).build();
    }

    public static EventEnvelope envelope(String eventId, String caseId, String district, Instant occurredAt) {
        return EventEnvelope.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(occurredAt)
                .setRecordedAt(occurredAt)
                .setDistrictCode(district)
                .setCaseId(caseId)
                .setReporter(Reporter.newBuilder().setPrincipal("clerk-" + district).setAgency("区发展改革委")
                        .setRole(ReporterRole.DISTRICT).build())
                .setSource(ReportSource.MANUAL_ENTRY)
                .build();
    }
}
