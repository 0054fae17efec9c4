package sh.reform.status.fold;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;

/**
 * {@code status = fold(events)} for one case in one district: pure and deterministic, used alike by
 * the live topology, by replays and by as-of queries, so they cannot disagree.
 *
 * <h2>Order and duplicates</h2>
 * Events apply in occurred-at order (ties by event id), whatever order they arrive in: every
 * {@link #apply} recomputes the status from the cell's sorted events (see {@link CellState}).
 * An event whose id was already applied changes nothing: by contract a repeated id is the same event,
 * so the first copy stays.
 *
 * <h2>Derivation</h2>
 * <ul>
 * <li><b>Adoption</b>: decision from the latest adoption report; lead agency and target date from the
 *     latest report that states them (a pause or withdrawal report that leaves them out does not erase
 *     them). The plan comes from the latest INTENDS/ADOPTED (or UNKNOWN) report — pausing or withdrawing
 *     does not re-scope; an empty plan means every catalog measure.</li>
 * <li><b>Planned measures</b>: that plan; with no adoption but rollouts, the catalog's measures (the
 *     default plan); for a case the catalog does not know and an empty plan, the measures reported.
 *     Before any adoption or rollout, none.</li>
 * <li><b>Measures</b>: every planned or reported measure, in catalog order. Stage, changed-at and (when
 *     the report gives one, else kept while the stage is unchanged) effective date from the latest rollout
 *     report; coverage and service item code from the latest report that states them; first-live-at is the
 *     occurred-at of the first report at LIVE or SCALED. {@code measuresLive} counts planned measures at
 *     LIVE/SCALED.</li>
 * <li><b>Overall stage</b>, after each event: NOT_STARTED with no adoption and no rollout (outcomes alone
 *     start nothing); WITHDRAWN / PAUSED by the latest decision; LIVE when every planned measure is
 *     LIVE/SCALED; ROLLING_OUT when any measure (planned or not) is at PILOT/LIVE/SCALED; ADOPTED when the
 *     decision is ADOPTED; otherwise PLANNED (INTENDS, UNKNOWN, or rollouts only at PLANNED). LIVE becomes
 *     EVALUATED once an outcome occurs after the cell (most recently) went live. Facts win over the
 *     decision: an INTENDS district with measures live shows ROLLING_OUT or LIVE.</li>
 * <li><b>Rollout without adoption</b> is applied like any rollout (the stage follows the measures, the
 *     decision stays null) and each such event is flagged ROLLOUT_BEFORE_ADOPTION: the missing adoption is
 *     a record-keeping gap, not a reason to hide the work.</li>
 * <li><b>Metrics</b>: the latest value per (metric, period) by occurred-at, with the catalog metric's first
 *     reference value beside it (null for metrics the catalog does not list); sorted by metric, period.</li>
 * <li><b>Lifecycle flags</b>, each judged against the cell as it stood when the event occurred; the event is
 *     applied all the same: ROLLOUT_BEFORE_ADOPTION, OUTCOME_BEFORE_ADOPTION (no adoption report of any
 *     decision before it), REPORT_AFTER_WITHDRAWAL (a rollout or outcome while the latest decision is
 *     WITHDRAWN; a new adoption report is a new decision, not a contradiction), MEASURE_NOT_IN_PLAN (the
 *     measure is not in the stated plan, or, with no stated plan, not in the catalog's measures).</li>
 * <li><b>History</b>: each change of the overall stage (subject {@code case}, from NOT_STARTED at first)
 *     and of a measure's stage (from null at first), in occurred-at order, with the event that caused it.</li>
 * <li>{@code lastReportAt}: occurred-at of the latest event; {@code eventCount}: distinct events.</li>
 * </ul>
 *
 * <h2>Health</h2>
 * {@link #apply} keeps the health last evaluated (so an event alone never raises an alert); call
 * {@link #evaluate} after it, and on wall-clock punctuation, since silence turns a cell yellow or red
 * without any event. The rules are in {@link HealthRules}.
 *
 * <h2>Supervision (督办)</h2>
 * Supervision events (assign, acknowledge, urge, respond, review) fold beside the reports, in the same
 * occurred-at order, into {@code status.supervision} ({@link SupervisionDerivation}); every report is also a
 * claim of the district that the city office may have to review ({@link SupervisionRules}). They move no
 * stage and do not count as news from the district for the silence rules. Deadlines, escalation and
 * reminders are evaluated against the clock with health ({@link SupervisionClock}); the reminders already
 * produced ({@code remindersSent}) are carried from state to state, so each crossing is produced once.
 * <p>
 * The status also depends on the catalog the fold was built with (default plan, reference values):
 * a catalog amendment shows in a cell when the cell is next folded.
 */
public final class StatusFold {

    private final CatalogView catalog;
    private final HealthRules rules;
    private final SupervisionRules supervision;

    public StatusFold(CatalogView catalog, HealthRules rules) {
        this(catalog, rules, SupervisionRules.defaults());
    }

    public StatusFold(CatalogView catalog, HealthRules rules, SupervisionRules supervision) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.supervision = Objects.requireNonNull(supervision, "supervision");
    }

    public SupervisionRules supervisionRules() {
        return supervision;
    }

    /**
     * Applies one event ({@link CaseAdoptionReported}, {@link MeasureRolloutReported} or
     * {@link OutcomeReported}) to the state and returns the new state. Pure: same inputs, same output.
     *
     * @throws IllegalArgumentException for another record type, or an event of another cell
     */
    public CellState apply(CellState state, SpecificRecord event) {
        return apply(state, event, true);
    }

    /**
     * {@link #apply(CellState, SpecificRecord)} for an event the caller hands over (the stream decodes a
     * fresh record per input and never touches it again): the state keeps it as it is instead of a deep
     * copy. The caller must not use or modify {@code event} afterwards.
     */
    public CellState applyHandedOver(CellState state, SpecificRecord event) {
        return apply(state, event, false);
    }

    private CellState apply(CellState state, SpecificRecord event, boolean copy) {
        EventEnvelope envelope = CellState.envelopeOf(event);
        if (!envelope.getCaseId().equals(state.caseId()) || !envelope.getDistrictCode().equals(state.districtCode())) {
            throw new IllegalArgumentException("event " + envelope.getEventId() + " belongs to "
                    + CellState.key(envelope.getCaseId(), envelope.getDistrictCode()) + ", not to " + state.key());
        }
        if (state.contains(envelope.getEventId())) {
            return state;
        }
        List<SpecificRecord> events = new ArrayList<>(state.events().size() + 1);
        events.addAll(state.events());
        // Unless handed over, the caller may reuse or mutate the record it passed.
        events.add(copy ? CellState.copyOf(event) : CellState.withPlainLists(event));
        events.sort(CellState.OCCURRED_ORDER);
        return refold(state, events);
    }

    /**
     * Re-evaluates health and the supervision clock (deadline, escalation, reminders) at wall-clock {@code now}
     * (no event needed: silence turns a cell yellow/red, and due dates come closer).
     */
    public CellState evaluate(CellState state, Instant now) {
        return evaluateNoting(state, now).state();
    }

    /** The evaluated state and the reminder marks crossed for the first time by it (see {@link SupervisionClock}). */
    public record Evaluated(CellState state, List<String> newMarks) {
    }

    /** {@link #evaluate} that also tells which reminders and escalations it crossed for the first time. */
    public Evaluated evaluateNoting(CellState state, Instant now) {
        HealthEvaluation health = rules.evaluate(state.status(), now);
        ReplicationStatus evaluated = CellState.withHealth(state.status(), health.health(), health.ruleNames(), now);
        SupervisionClock.Evaluation clock = SupervisionClock.evaluate(evaluated, now, supervision);
        evaluated.setSupervision(clock.state());
        return new Evaluated(new CellState(state.caseId(), state.districtCode(), state.events(), evaluated), clock.newMarks());
    }

    /** Convenience: fold a list from empty, then evaluate at {@code now}. */
    public CellState foldAll(String caseId, String districtCode, List<? extends SpecificRecord> events, Instant now) {
        CellState state = CellState.empty(caseId, districtCode);
        for (SpecificRecord event : events) {
            state = apply(state, event);
        }
        return evaluate(state, now);
    }

    /**
     * The cell as it stood at {@code asOf}: the fold of its events that occurred at or before it,
     * evaluated at {@code asOf}. Equal to folding that prefix of the log from scratch.
     */
    public CellState asOf(CellState state, Instant asOf) {
        List<SpecificRecord> prefix = state.events().stream()
                .filter(e -> !CellState.envelopeOf(e).getOccurredAt().isAfter(asOf))
                .toList();
        return foldAll(state.caseId(), state.districtCode(), prefix, asOf);
    }

    /**
     * One version of a cell's history: the fold of every event of the cell that occurred at or before {@code at},
     * before any evaluation (health {@code UNKNOWN}, no rule, evaluated at the epoch, no reminder sent) — exactly
     * the state {@link #foldAll} holds before it evaluates. {@link #evaluateVersion} turns it into the status as of
     * any instant from {@code at} until the next version.
     */
    public record Version(Instant at, ReplicationStatus status) {
    }

    /**
     * The versions of the cell's history that an event occurred at {@code from} changes: one per distinct
     * occurred-at of the cell's events at or after {@code from}, in time order, each the fold of the events up to
     * it. An event in order changes one version (its own); a late one re-derives every version after it, since it
     * can change what each later event meant. {@code from} null: every version (a rebuild of the history).
     * Pure, like the rest of the fold.
     */
    public List<Version> versionsFrom(CellState state, Instant from) {
        return versions(state, from, false);
    }

    /**
     * {@link #versionsFrom} for a state straight from {@link #apply} (not evaluated since): its latest version is its
     * own status with the evaluation's fields reset, so an event that arrives in order costs no second derivation.
     * Only a late event re-derives the versions between it and the latest.
     */
    public List<Version> versionsAfterApply(CellState applied, Instant from) {
        return versions(applied, from, true);
    }

    private List<Version> versions(CellState state, Instant from, boolean unevaluated) {
        List<SpecificRecord> events = state.events();
        List<Version> out = new ArrayList<>();
        CellState empty = CellState.empty(state.caseId(), state.districtCode());
        for (int i = 0; i < events.size(); i++) {
            Instant at = CellState.envelopeOf(events.get(i)).getOccurredAt();
            boolean lastAtThisTime = i + 1 == events.size()
                    || !CellState.envelopeOf(events.get(i + 1)).getOccurredAt().equals(at);
            if (lastAtThisTime && (from == null || !at.isBefore(from))) {
                out.add(new Version(at, unevaluated && i + 1 == events.size()
                        ? unevaluated(state.status())
                        : refold(empty, events.subList(0, i + 1)).status()));
            }
        }
        return out;
    }

    /**
     * What {@link #refold} from an empty state gives for the same events: the status of a state that no evaluation
     * has touched, with what {@code refold} carries from the previous state (health, rules, evaluated-at, reminders
     * sent) at an empty state's values. Shares the other fields with {@code s}.
     */
    private static ReplicationStatus unevaluated(ReplicationStatus s) {
        ReplicationStatus out = CellState.withHealth(s, sh.reform.schema.status.Health.UNKNOWN, List.of(), Instant.EPOCH);
        if (s.getSupervision() != null && !s.getSupervision().getRemindersSent().isEmpty()) {
            out.setSupervision(CellState.plainLists(sh.reform.schema.status.SupervisionState.newBuilder(s.getSupervision())
                    .setRemindersSent(new ArrayList<>()).build()));
        }
        return out;
    }

    /**
     * A version of the history ({@link #versionsFrom}) as it stood at {@code at}: health and the supervision clock
     * evaluated at {@code at}. Equal to {@code foldAll(events occurred at or before at, at).toStatus()} when the
     * version is the latest at or before {@code at}. Returns a new record; the version is not modified.
     */
    public ReplicationStatus evaluateVersion(ReplicationStatus version, Instant at) {
        CellState state = new CellState(version.getCaseId(), version.getDistrictCode(), List.of(), CellState.copyOf(version));
        return evaluate(state, at).toStatus();
    }

    /**
     * The alert for a change of health from {@code previous} to {@code current} (the same cell), with the
     * rule that set the new colour and the reasons of all rules of that colour; empty when the colour did
     * not change. The alert id is derived from the cell, the evaluation time and the new colour, so a replay
     * raises the same alert with the same id.
     */
    public Optional<StatusAlert> alert(CellState previous, CellState current) {
        if (!previous.key().equals(current.key())) {
            throw new IllegalArgumentException("cells differ: " + previous.key() + " and " + current.key());
        }
        ReplicationStatus before = previous.status();
        ReplicationStatus after = current.status();
        if (before.getHealth() == after.getHealth()) {
            return Optional.empty();
        }
        HealthEvaluation why = rules.evaluate(after, after.getEvaluatedAt());
        String name = current.key() + "|" + after.getEvaluatedAt().toEpochMilli() + "|" + after.getHealth();
        return Optional.of(StatusAlert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString())
                .setCaseId(current.caseId())
                .setDistrictCode(current.districtCode())
                .setPreviousHealth(before.getHealth())
                .setHealth(after.getHealth())
                .setRule(why.rules().get(0).name())
                .setReasonZh(why.reasonZh())
                .setReasonEn(why.reasonEn())
                .setRaisedAt(after.getEvaluatedAt())
                .build());
    }

    private CellState refold(CellState state, List<SpecificRecord> sortedEvents) {
        ReplicationStatus derived = StatusDerivation.derive(state.caseId(), state.districtCode(),
                catalog.caseInfo(state.caseId()), supervision, sortedEvents);
        ReplicationStatus previous = state.status();
        derived.setHealth(previous.getHealth());
        derived.setHealthRules(new ArrayList<>(previous.getHealthRules()));
        derived.setEvaluatedAt(previous.getEvaluatedAt());
        if (derived.getSupervision() != null && previous.getSupervision() != null) {
            // Reminders already produced stay produced: the marks travel with the cell, not with its events.
            derived.getSupervision().setRemindersSent(new ArrayList<>(previous.getSupervision().getRemindersSent()));
        }
        return new CellState(state.caseId(), state.districtCode(), sortedEvents, derived);
    }
}
