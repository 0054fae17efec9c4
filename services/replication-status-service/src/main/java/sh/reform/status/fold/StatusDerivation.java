package sh.reform.status.fold;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.avro.specific.SpecificRecord;

import sh.reform.schema.common.Coverage;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.LifecycleFlag;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.MetricStatus;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusTransition;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.status.fold.CatalogView.CaseInfo;

/**
 * One replay of a cell's events, in occurred-at order, into its status (without health, which
 * depends on the wall clock). The rules are documented on {@link StatusFold}; each event is
 * judged against the cell as it stood when the event occurred.
 */
final class StatusDerivation {

    static final String CASE_SUBJECT = "case";
    /** The subject of supervision steps in the history. */
    static final String SUPERVISION_SUBJECT = "supervision";

    static final Set<RolloutStage> LIVE_STAGES = EnumSet.of(RolloutStage.LIVE, RolloutStage.SCALED);
    private static final Set<RolloutStage> STARTED_STAGES =
            EnumSet.of(RolloutStage.PILOT, RolloutStage.LIVE, RolloutStage.SCALED);
    static final Set<OverallStage> LIVE_OVERALL = EnumSet.of(OverallStage.LIVE, OverallStage.EVALUATED);

    private final String caseId;
    private final String districtCode;
    private final Optional<CaseInfo> caseInfo;

    private boolean adoptionSeen;
    private boolean rolloutSeen;
    private AdoptionDecision decision;
    private String leadAgency;
    private LocalDate targetDate;
    private List<String> plannedMeasureIds = List.of();
    private final Map<String, MeasureStatus> measures = new HashMap<>();
    private final Map<List<String>, MetricStatus> metrics = new HashMap<>();
    private final List<LifecycleFlag> flags = new ArrayList<>();
    private final List<StatusTransition> history = new ArrayList<>();
    private OverallStage stage = OverallStage.NOT_STARTED;
    private boolean outcomeSinceLive;
    private Instant lastReportAt;
    private long eventCount;

    private final SupervisionDerivation supervision;
    /** The event being applied: transitions name who reported it and through which channel. */
    private EventEnvelope current;

    private StatusDerivation(String caseId, String districtCode, Optional<CaseInfo> caseInfo, SupervisionRules rules) {
        this.caseId = caseId;
        this.districtCode = districtCode;
        this.caseInfo = caseInfo;
        this.supervision = new SupervisionDerivation(rules, new SupervisionDerivation.Sink() {
            @Override
            public void flag(String eventId, String code, Object... args) {
                StatusDerivation.this.flag(eventId, code, args);
            }

            @Override
            public void step(EventEnvelope envelope, String step, String detail) {
                transition(envelope.getOccurredAt(), envelope.getEventId(), SUPERVISION_SUBJECT, null, step, detail);
            }
        });
    }

    /** The status of the cell after {@code sortedEvents}; health fields are left at their defaults. */
    static ReplicationStatus derive(String caseId, String districtCode, Optional<CaseInfo> caseInfo,
                                    List<SpecificRecord> sortedEvents) {
        return derive(caseId, districtCode, caseInfo, SupervisionRules.defaults(), sortedEvents);
    }

    /** The status of the cell after {@code sortedEvents}, claims reviewed as {@code rules} say; health and the clock's fields left at their defaults. */
    static ReplicationStatus derive(String caseId, String districtCode, Optional<CaseInfo> caseInfo, SupervisionRules rules,
                                    List<SpecificRecord> sortedEvents) {
        StatusDerivation replay = new StatusDerivation(caseId, districtCode, caseInfo, rules);
        for (SpecificRecord event : sortedEvents) {
            replay.apply(event);
        }
        return replay.toStatus();
    }

    private void apply(SpecificRecord event) {
        EventEnvelope envelope = CellState.envelopeOf(event);
        current = envelope;
        if (event instanceof SupervisionEvent s) {
            // A step of the city office or the district about the cell, not a report: it moves no stage and is
            // not "news from the district" for the silence rules (lastReportAt), but it counts as an event.
            supervision.apply(s);
            eventCount++;
            return;
        }
        if (event instanceof CaseAdoptionReported a) {
            adopt(a);
            supervision.claim(ClaimKind.ADOPTION, SupervisionRules.Claim.ADOPTION, CASE_SUBJECT, a.getDecision().name(), envelope);
        } else if (event instanceof MeasureRolloutReported r) {
            rollOut(r, envelope);
            supervision.claim(ClaimKind.MEASURE_STAGE, SupervisionRules.Claim.ofStage(r.getStage()), r.getMeasureId(),
                    r.getStage().name(), envelope);
        } else if (event instanceof OutcomeReported o) {
            reportOutcome(o, envelope);
            supervision.claim(ClaimKind.OUTCOME, SupervisionRules.Claim.OUTCOME, o.getMetricId() + "|" + o.getPeriod(),
                    o.getValue() + " " + o.getUnit(), envelope);
        }
        eventCount++;
        lastReportAt = envelope.getOccurredAt();
        advanceStage(envelope);
    }

    private void adopt(CaseAdoptionReported a) {
        adoptionSeen = true;
        decision = a.getDecision();
        // A pause or withdrawal report often leaves these out; it does not mean the agency or target went away.
        if (a.getLeadAgency() != null) {
            leadAgency = a.getLeadAgency();
        }
        if (a.getTargetDate() != null) {
            targetDate = a.getTargetDate();
        }
        // Pausing or withdrawing is about the decision, not the scope: keep the plan for a later resumption.
        if (decision != AdoptionDecision.PAUSED && decision != AdoptionDecision.WITHDRAWN) {
            plannedMeasureIds = List.copyOf(a.getPlannedMeasureIds());
        }
    }

    private void rollOut(MeasureRolloutReported r, EventEnvelope envelope) {
        String measureId = r.getMeasureId();
        String eventId = envelope.getEventId();
        if (!adoptionSeen) {
            flag(eventId, "ROLLOUT_BEFORE_ADOPTION", measureId, r.getStage());
        } else if (decision == AdoptionDecision.WITHDRAWN) {
            flag(eventId, "REPORT_AFTER_WITHDRAWAL", eventId);
        }
        Optional<Set<String>> declared = declaredPlan();
        if (declared.isPresent() && !declared.get().contains(measureId)) {
            flag(eventId, "MEASURE_NOT_IN_PLAN", measureId);
        }
        rolloutSeen = true;

        Instant at = envelope.getOccurredAt();
        MeasureStatus before = measures.get(measureId);
        RolloutStage previousStage = before == null ? null : before.getStage();
        boolean stageChanged = previousStage != r.getStage();
        Coverage coverage = r.getCoverage() != null ? r.getCoverage() : before == null ? null : before.getCoverage();
        String serviceItemCode = r.getServiceItemCode() != null ? r.getServiceItemCode()
                : before == null ? null : before.getServiceItemCode();
        LocalDate effectiveDate = r.getEffectiveDate() != null || stageChanged ? r.getEffectiveDate()
                : before.getEffectiveDate();
        Instant firstLiveAt = before != null && before.getFirstLiveAt() != null ? before.getFirstLiveAt()
                : LIVE_STAGES.contains(r.getStage()) ? at : null;
        measures.put(measureId, MeasureStatus.newBuilder()
                .setMeasureId(measureId)
                .setPlanned(true) // set for real when the status is assembled, against the final plan
                .setStage(r.getStage())
                .setCoverage(coverage == null ? null : Coverage.newBuilder(coverage).build())
                .setServiceItemCode(serviceItemCode)
                .setEffectiveDate(effectiveDate)
                .setFirstLiveAt(firstLiveAt)
                .setChangedAt(at)
                .build());
        if (stageChanged) {
            transition(at, eventId, measureId, previousStage == null ? null : previousStage.name(), r.getStage().name());
        }
    }

    private void reportOutcome(OutcomeReported o, EventEnvelope envelope) {
        String eventId = envelope.getEventId();
        if (!adoptionSeen) {
            flag(eventId, "OUTCOME_BEFORE_ADOPTION", o.getMetricId(), o.getPeriod());
        } else if (decision == AdoptionDecision.WITHDRAWN) {
            flag(eventId, "REPORT_AFTER_WITHDRAWAL", eventId);
        }
        if (LIVE_OVERALL.contains(stage)) {
            outcomeSinceLive = true;
        }
        Double reference = caseInfo.flatMap(c -> c.metric(o.getMetricId()))
                .map(CatalogView.MetricInfo::referenceValue)
                .orElse(null);
        // Events come in occurred-at order, so the last one written for a (metric, period) is the latest.
        metrics.put(List.of(o.getMetricId(), o.getPeriod()), MetricStatus.newBuilder()
                .setMetricId(o.getMetricId())
                .setPeriod(o.getPeriod())
                .setValue(o.getValue())
                .setUnit(o.getUnit())
                .setReferenceValue(reference)
                .setReportedAt(envelope.getOccurredAt())
                .setEventId(eventId)
                .build());
    }

    private void advanceStage(EventEnvelope envelope) {
        OverallStage base = baseStage();
        if (base == OverallStage.LIVE && !LIVE_OVERALL.contains(stage)) {
            // Going live (again): only an outcome reported from now on evaluates it.
            outcomeSinceLive = false;
        }
        OverallStage next = base == OverallStage.LIVE && outcomeSinceLive ? OverallStage.EVALUATED : base;
        if (next != stage) {
            transition(envelope.getOccurredAt(), envelope.getEventId(), CASE_SUBJECT, stage.name(), next.name());
            stage = next;
        }
    }

    private OverallStage baseStage() {
        if (!adoptionSeen && !rolloutSeen) {
            return OverallStage.NOT_STARTED;
        }
        if (decision == AdoptionDecision.WITHDRAWN) {
            return OverallStage.WITHDRAWN;
        }
        if (decision == AdoptionDecision.PAUSED) {
            return OverallStage.PAUSED;
        }
        Set<String> planned = plannedSet();
        if (!planned.isEmpty() && planned.stream().allMatch(this::isLive)) {
            return OverallStage.LIVE;
        }
        if (measures.values().stream().anyMatch(m -> STARTED_STAGES.contains(m.getStage()))) {
            return OverallStage.ROLLING_OUT;
        }
        return decision == AdoptionDecision.ADOPTED ? OverallStage.ADOPTED : OverallStage.PLANNED;
    }

    private boolean isLive(String measureId) {
        MeasureStatus m = measures.get(measureId);
        return m != null && LIVE_STAGES.contains(m.getStage());
    }

    /** The plan the district stated, or the catalog's measures when it stated none; empty when neither is known. */
    private Optional<Set<String>> declaredPlan() {
        if (!plannedMeasureIds.isEmpty()) {
            return Optional.of(new LinkedHashSet<>(plannedMeasureIds));
        }
        return caseInfo.map(CaseInfo::measureIds)
                .filter(ids -> !ids.isEmpty())
                .map(LinkedHashSet::new);
    }

    /** The measures the cell is judged by: none before any adoption or rollout, else the declared plan, else what was reported. */
    private Set<String> plannedSet() {
        if (!adoptionSeen && !rolloutSeen) {
            return Set.of();
        }
        return declaredPlan().orElseGet(() -> new TreeSet<>(measures.keySet()));
    }

    private void flag(String eventId, String code, Object... args) {
        Bilingual message = Bilingual.of("flag." + code, args);
        flags.add(LifecycleFlag.newBuilder()
                .setEventId(eventId)
                .setCode(code)
                .setMessageZh(message.zh())
                .setMessageEn(message.en())
                .build());
    }

    private void transition(Instant at, String eventId, String subject, String from, String to) {
        transition(at, eventId, subject, from, to, null);
    }

    private void transition(Instant at, String eventId, String subject, String from, String to, String detail) {
        history.add(StatusTransition.newBuilder()
                .setAt(at)
                .setEventId(eventId)
                .setSubject(subject)
                .setFrom(from)
                .setTo(to)
                .setBy(current == null || current.getReporter() == null ? null : current.getReporter().getPrincipal())
                .setChannel(current == null || current.getSource() == null ? null : current.getSource().name())
                .setDetail(detail)
                .build());
    }

    private ReplicationStatus toStatus() {
        Set<String> planned = plannedSet();
        Set<String> listed = new LinkedHashSet<>(planned);
        listed.addAll(measures.keySet());
        Comparator<String> order = caseInfo.map(CaseInfo::measureOrder).orElse(Comparator.naturalOrder());
        List<MeasureStatus> measureList = listed.stream()
                .sorted(order)
                .map(id -> {
                    MeasureStatus reported = measures.get(id);
                    MeasureStatus.Builder b = reported == null
                            ? MeasureStatus.newBuilder().setMeasureId(id)
                            : MeasureStatus.newBuilder(reported);
                    return b.setPlanned(planned.contains(id)).build();
                })
                .toList();
        List<MetricStatus> metricList = metrics.values().stream()
                .sorted(Comparator.comparing(MetricStatus::getMetricId).thenComparing(MetricStatus::getPeriod))
                .toList();
        int live = (int) planned.stream().filter(this::isLive).count();
        // Health is set by the fold's evaluation (UNKNOWN, never evaluated, until then).
        return new ReplicationStatus(caseId, districtCode, decision, leadAgency, targetDate, stage, new ArrayList<>(measureList),
                live, planned.size(), new ArrayList<>(metricList), Health.UNKNOWN, new ArrayList<>(), new ArrayList<>(flags),
                new ArrayList<>(history), eventCount, lastReportAt, Instant.EPOCH, supervision.toState(planned, this::isLive));
    }
}
