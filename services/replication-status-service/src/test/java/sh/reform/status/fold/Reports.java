package sh.reform.status.fold;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;

import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.catalog.ReferenceValue;
import sh.reform.schema.common.Coverage;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.common.ReportSource;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.events.RolloutStage;

/**
 * Reported events for one cell — case SH-2023-01 in 金山区 — with times written as Shanghai local
 * dates ("2024-01-10", meaning 10:00 that day) or date-times ("2024-01-10T15:30").
 */
final class Reports {

    static final String CASE = "SH-2023-01";
    static final String DISTRICT = "310116";
    static final String M1 = CASE + "-M1";
    static final String M2 = CASE + "-M2";
    static final String M3 = CASE + "-M3";
    /** A percentage, synthetic reference 20.0 → 60.0 % (then 50.0, which must not be used). */
    static final String K1 = CASE + "-K1";
    /** A metric the origin stated no figure for. */
    static final String K2 = CASE + "-K2";

    private Reports() {
    }

    static CatalogView catalog() {
        return CatalogView.of(List.of(catalogCase()));
    }

    static CatalogCase catalogCase() {
        return CatalogCase.newBuilder()
                .setCaseId(CASE)
                .setBatchId("SH-2023")
                .setYear(2023)
                .setRank(1)
                .setOriginDistrict("310115")
                .setTitleZh("测试案例")
                .setDomain("REGULATION")
                .setMeasures(List.of(measure(M1, "繁简分流合规程序"), measure(M2, "第三方监督评估机制"), measure(M3, "线上办理")))
                .setMetrics(List.of(
                        CatalogMetric.newBuilder().setMetricId(K1).setNameZh("网办率").setUnit("%")
                                .setReference(List.of(
                                        ReferenceValue.newBuilder().setValue(60.0).setBaseline(20.0).build(),
                                        ReferenceValue.newBuilder().setValue(50.0).build()))
                                .build(),
                        CatalogMetric.newBuilder().setMetricId(K2).setNameZh("服务企业数").setUnit("家").build()))
                .build();
    }

    private static CatalogMeasure measure(String id, String nameZh) {
        return CatalogMeasure.newBuilder().setMeasureId(id).setNameZh(nameZh).build();
    }

    static StatusFold fold() {
        return new StatusFold(catalog(), HealthRules.defaults());
    }

    /** A Shanghai local date ("2024-01-10" = 10:00) or date-time ("2024-01-10T15:30") as an instant. */
    static Instant at(String shanghaiTime) {
        LocalDateTime local = shanghaiTime.contains("T")
                ? LocalDateTime.parse(shanghaiTime)
                : LocalDate.parse(shanghaiTime).atTime(10, 0);
        return local.atZone(HealthRules.SHANGHAI).toInstant();
    }

    static LocalDate date(String iso) {
        return LocalDate.parse(iso);
    }

    static CaseAdoptionReported adoption(String eventId, String when, AdoptionDecision decision) {
        return adoption(eventId, when, decision, null);
    }

    static CaseAdoptionReported adoption(String eventId, String when, AdoptionDecision decision, String targetDate,
                                         String... plannedMeasureIds) {
        return CaseAdoptionReported.newBuilder()
                .setEnvelope(envelope(eventId, when))
                .setDecision(decision)
                .setLeadAgency(decision == AdoptionDecision.PAUSED || decision == AdoptionDecision.WITHDRAWN
                        ? null : "金山区市场监管局")
                .setTargetDate(targetDate == null ? null : date(targetDate))
                .setPlannedMeasureIds(List.of(plannedMeasureIds))
                .build();
    }

    static MeasureRolloutReported rollout(String eventId, String when, String measureId, RolloutStage stage) {
        return rolloutBuilder(eventId, when, measureId, stage).build();
    }

    static MeasureRolloutReported.Builder rolloutBuilder(String eventId, String when, String measureId,
                                                         RolloutStage stage) {
        return MeasureRolloutReported.newBuilder()
                .setEnvelope(envelope(eventId, when))
                .setMeasureId(measureId)
                .setStage(stage);
    }

    static Coverage coverage(long covered, long total, String unit) {
        return Coverage.newBuilder().setCovered(covered).setTotal(total).setUnit(unit).build();
    }

    static OutcomeReported outcome(String eventId, String when, String metricId, String period, double value) {
        return OutcomeReported.newBuilder()
                .setEnvelope(envelope(eventId, when))
                .setMetricId(metricId)
                .setValue(value)
                .setUnit(K2.equals(metricId) ? "家" : "%")
                .setPeriod(period)
                .build();
    }

    static EventEnvelope envelope(String eventId, String when) {
        Instant occurredAt = at(when);
        return EventEnvelope.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(occurredAt)
                .setRecordedAt(occurredAt.plusSeconds(3600))
                .setDistrictCode(DISTRICT)
                .setCaseId(CASE)
                .setReporter(Reporter.newBuilder().setPrincipal("jinshan-clerk-01").setAgency("金山区发展改革委")
                        .setRole(ReporterRole.DISTRICT).build())
                .setSource(ReportSource.MANUAL_ENTRY)
                .build();
    }

    static List<SpecificRecord> events(SpecificRecord... events) {
        return List.of(events);
    }
}
