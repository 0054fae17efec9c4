package sh.reform.status.fold;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import sh.reform.schema.status.DeadlineState;
import sh.reform.schema.status.MeasureDue;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.status.UrgeState;
import sh.reform.schema.supervision.EscalationLevel;

/**
 * The supervision state against the clock, like {@link HealthRules} for health: silence counts without any
 * new event. Pure: the same status at the same instant gives the same result.
 *
 * <h2>Deadline</h2>
 * A subject (the case, or a measure assigned on its own) is done when it is live (the case LIVE or EVALUATED,
 * the measure LIVE or SCALED): the district has delivered; verifying the claim is the city office's step and
 * shows apart ({@code verifiedLive}). Not done: OVERDUE after the due date, DUE_SOON within the widest
 * reminder window (inclusive), else ON_TRACK. The cell's deadline is its worst subject's.
 *
 * <h2>Reminders, exactly once per crossing</h2>
 * Each threshold a subject has crossed is a mark: {@code DUE_SOON_<n>@<due date>[@<measure>]} once it is
 * {@code n} days or fewer before the due date, {@code OVERDUE@<due date>[@<measure>]} after it. Marks already
 * in {@code remindersSent} were reminded; the rest are new, added to it, and returned for the caller to
 * notify. When several thresholds are crossed at once (the clock was away, or the assignment came late), one
 * reminder goes out, for the most urgent; the others are marked as passed. A due date moved by a new
 * assignment has marks of its own, so its reminders go out again.
 *
 * <h2>Escalation</h2>
 * An urge unanswered by the end of its reply-by date rises one level (district clerk → district leadership →
 * the city's bulletin), marked {@code ESCALATED@<urge id>@<level>}. An answer that came late keeps the
 * escalation; the city office urges again at the new level if it needs to.
 */
public final class SupervisionClock {

    public static final String DUE_SOON = "DUE_SOON_";
    public static final String OVERDUE = "OVERDUE";
    public static final String ESCALATED = "ESCALATED";

    private SupervisionClock() {
    }

    /** The evaluated supervision state and the marks crossed for the first time (to be notified). */
    public record Evaluation(SupervisionState state, List<String> newMarks) {
    }

    /** Evaluates {@code status}'s supervision at {@code now}; null state when the status has none. */
    public static Evaluation evaluate(ReplicationStatus status, Instant now, SupervisionRules rules) {
        SupervisionState s = status.getSupervision();
        if (s == null) {
            return new Evaluation(null, List.of());
        }
        LocalDate today = LocalDate.ofInstant(now, rules.zone());
        Set<String> sent = new LinkedHashSet<>(s.getRemindersSent());
        List<String> fresh = new ArrayList<>();
        DeadlineState deadline = DeadlineState.NONE;
        Integer daysToDue = null;
        if (s.getAssigned()) {
            deadline = DeadlineState.DONE;
            List<Due> dues = new ArrayList<>();
            if (s.getDueDate() != null) {
                dues.add(new Due(s.getDueDate(), null, StatusDerivation.LIVE_OVERALL.contains(status.getOverallStage())));
            }
            for (MeasureDue d : s.getMeasureDueDates()) {
                dues.add(new Due(d.getDueDate(), d.getMeasureId(), measureLive(status, d.getMeasureId())));
            }
            for (Due d : dues) {
                deadline = worse(deadline, subject(d, today, rules, sent, fresh));
                if (!d.done()) {
                    int days = (int) ChronoUnit.DAYS.between(today, d.date());
                    daysToDue = daysToDue == null ? days : Math.min(daysToDue, days);
                }
            }
        }
        List<UrgeState> urges = new ArrayList<>(s.getUrges().size());
        for (UrgeState u : s.getUrges()) {
            boolean late = u.getAnswered()
                    ? u.getRespondedAt() != null && LocalDate.ofInstant(u.getRespondedAt(), rules.zone()).isAfter(u.getReplyBy())
                    : today.isAfter(u.getReplyBy());
            EscalationLevel base = initialLevel(u);
            EscalationLevel level = late ? next(base) : base;
            if (late) {
                String mark = ESCALATED + "@" + u.getUrgeEventId() + "@" + level;
                if (sent.add(mark)) {
                    fresh.add(mark);
                }
            }
            urges.add(level == u.getLevel() ? u : UrgeState.newBuilder(u).setLevel(level).build());
        }
        SupervisionState evaluated = CellState.plainLists(SupervisionState.newBuilder(s)
                .setDeadline(deadline)
                .setDaysToDue(daysToDue)
                .setUrges(urges)
                .setRemindersSent(new ArrayList<>(sent))
                .build());
        return new Evaluation(evaluated, List.copyOf(fresh));
    }

    /** The level the city office urged at (the derivation records it; an unknown one reads as the district clerk). */
    private static EscalationLevel initialLevel(UrgeState u) {
        EscalationLevel l = u.getInitialLevel();
        return l == null || l == EscalationLevel.UNKNOWN ? EscalationLevel.DISTRICT_CLERK : l;
    }

    /** One level up: clerk → leadership → bulletin (the top stays). */
    public static EscalationLevel next(EscalationLevel level) {
        return switch (level) {
            case DISTRICT_LEADERSHIP, CITY_BULLETIN -> EscalationLevel.CITY_BULLETIN;
            default -> EscalationLevel.DISTRICT_LEADERSHIP;
        };
    }

    /** A due date of the case ({@code measureId} null) or of a measure assigned on its own. */
    private record Due(LocalDate date, String measureId, boolean done) {
    }

    private static DeadlineState subject(Due due, LocalDate today, SupervisionRules rules, Set<String> sent, List<String> fresh) {
        if (due.done()) {
            return DeadlineState.DONE;
        }
        String suffix = "@" + due.date() + (due.measureId() == null ? "" : "@" + due.measureId());
        long days = ChronoUnit.DAYS.between(today, due.date());
        List<String> crossed = new ArrayList<>();
        DeadlineState state;
        if (days < 0) {
            state = DeadlineState.OVERDUE;
        } else if (days <= rules.dueSoonDays()) {
            state = DeadlineState.DUE_SOON;
        } else {
            state = DeadlineState.ON_TRACK;
        }
        for (int n : rules.reminderDays()) { // widest first
            if (days <= n) {
                crossed.add(DUE_SOON + n + suffix);
            }
        }
        if (days < 0) {
            crossed.add(OVERDUE + suffix);
        }
        List<String> unsent = crossed.stream().filter(m -> !sent.contains(m)).toList();
        if (!unsent.isEmpty()) {
            sent.addAll(unsent);
            fresh.add(unsent.get(unsent.size() - 1)); // the most urgent one crossed now
        }
        return state;
    }

    private static boolean measureLive(ReplicationStatus status, String measureId) {
        for (MeasureStatus m : status.getMeasures()) {
            if (m.getMeasureId().equals(measureId)) {
                return StatusDerivation.LIVE_STAGES.contains(m.getStage());
            }
        }
        return false;
    }

    private static DeadlineState worse(DeadlineState a, DeadlineState b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(DeadlineState d) {
        return switch (d) {
            case OVERDUE -> 4;
            case DUE_SOON -> 3;
            case ON_TRACK -> 2;
            case DONE -> 1;
            default -> 0;
        };
    }
}
