package sh.reform.status.fold;

import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import sh.reform.schema.events.RolloutStage;

/**
 * The city office's supervision settings ({@code reform.supervision.*}): which district claims need its
 * review (复核) before they count as verified, and how many days before a due date a reminder goes out.
 *
 * @param reviewRequired the kinds of claim that need review; the others count as claimed and need none
 * @param reminderDays   days before a due date at which a "due soon" reminder goes out (e.g. 7 and 1)
 * @param zone           the calendar due dates are stated in (Asia/Shanghai)
 */
public record SupervisionRules(Set<Claim> reviewRequired, List<Integer> reminderDays, ZoneId zone) {

    /** A kind of claim the city office may require to review. */
    public enum Claim {
        /** An adoption report (a decision to adopt). */
        ADOPTION,
        /** A measure reported at PILOT. */
        MEASURE_PILOT,
        /** A measure reported LIVE. */
        MEASURE_LIVE,
        /** A measure reported SCALED. */
        MEASURE_SCALED,
        /** An outcome figure. */
        OUTCOME;

        /** The claim kind of a rollout report at {@code stage}, or null for a stage that is no claim (PLANNED). */
        static Claim ofStage(RolloutStage stage) {
            return switch (stage) {
                case PILOT -> MEASURE_PILOT;
                case LIVE -> MEASURE_LIVE;
                case SCALED -> MEASURE_SCALED;
                default -> null;
            };
        }
    }

    public SupervisionRules {
        reviewRequired = reviewRequired.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(reviewRequired));
        // Largest first: the first threshold crossed is the widest window.
        reminderDays = List.copyOf(new TreeSet<>(reminderDays).descendingSet());
        if (reminderDays.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("reminder days are whole days before the due date, 1 or more: " + reminderDays);
        }
        Objects.requireNonNull(zone, "zone");
    }

    /** The sane default: measures claimed LIVE or SCALED and every outcome figure are reviewed; reminders 7 and 1 days ahead. */
    public static SupervisionRules defaults() {
        return new SupervisionRules(EnumSet.of(Claim.MEASURE_LIVE, Claim.MEASURE_SCALED, Claim.OUTCOME), List.of(7, 1),
                HealthRules.SHANGHAI);
    }

    public boolean needsReview(Claim claim) {
        return claim != null && reviewRequired.contains(claim);
    }

    /** The widest reminder window (days), 0 when no reminder is configured. */
    public int dueSoonDays() {
        return reminderDays.isEmpty() ? 0 : reminderDays.get(0);
    }
}
