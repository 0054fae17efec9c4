package sh.reform.status.fold;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import sh.reform.schema.status.Health;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;

/**
 * The city office's early-warning rules (红黄绿), by name, with their thresholds.
 * A cell's health is the worst colour among the rules that fire; the rules reported are those
 * of that colour, in the order below.
 *
 * <table>
 * <caption>Rules</caption>
 * <tr><th>name</th><th>colour</th><th>fires when</th></tr>
 * <tr><td>{@value #TARGET_PASSED_NOT_LIVE}</td><td>RED</td><td>the target date is before today and the
 *     cell is not LIVE/EVALUATED (paused cells included: the commitment is missed either way)</td></tr>
 * <tr><td>{@value #SILENT_WHILE_ROLLING_OUT}</td><td>RED</td><td>ROLLING_OUT and no event for
 *     {@code silentDaysRed} days</td></tr>
 * <tr><td>{@value #TARGET_NEAR_FEW_LIVE}</td><td>YELLOW</td><td>not live, the target date is today or within
 *     {@code targetWithinDaysYellow} days, and fewer than half the planned measures are live</td></tr>
 * <tr><td>{@value #SILENT}</td><td>YELLOW</td><td>PLANNED, ADOPTED, ROLLING_OUT, LIVE or EVALUATED and no
 *     event for {@code silentDaysYellow} days (live cells are expected to keep reporting outcomes)</td></tr>
 * <tr><td>{@value #PAUSED}</td><td>YELLOW</td><td>PAUSED (a pause explains silence, so the silence rules
 *     skip paused cells)</td></tr>
 * <tr><td>{@value #ON_TRACK}</td><td>GREEN</td><td>a tracked cell where nothing above fired</td></tr>
 * <tr><td>{@value #NOT_TRACKED}</td><td>UNKNOWN</td><td>NOT_STARTED or WITHDRAWN: nothing is due, so
 *     there is nothing to warn about; UNKNOWN rather than GREEN keeps such cells out of "on track" counts</td></tr>
 * </table>
 *
 * Days are calendar days in {@code zone} (Asia/Shanghai): silence counts from the calendar date of the
 * last event's occurred-at (the {@code lastReportAt} the status shows) to today, so a cell changes colour
 * at local midnight, not at an arbitrary hour. A threshold of 0 switches its rule off.
 *
 * @param targetPassedNotLive    whether {@value #TARGET_PASSED_NOT_LIVE} is on
 * @param silentDaysRed          days of silence that make a rolling-out cell red
 * @param silentDaysYellow       days of silence that make a tracked cell yellow
 * @param targetWithinDaysYellow days before the target date from which a cell with few live measures is yellow
 * @param pausedYellow           whether {@value #PAUSED} is on
 * @param zone                   the zone whose calendar dates the rules use
 */
public record HealthRules(boolean targetPassedNotLive, int silentDaysRed, int silentDaysYellow,
                          int targetWithinDaysYellow, boolean pausedYellow, ZoneId zone) {

    public static final String TARGET_PASSED_NOT_LIVE = "target-passed-not-live";
    public static final String SILENT_WHILE_ROLLING_OUT = "silent-while-rolling-out";
    public static final String TARGET_NEAR_FEW_LIVE = "target-near-few-live";
    public static final String SILENT = "silent";
    public static final String PAUSED = "paused";
    public static final String ON_TRACK = "on-track";
    public static final String NOT_TRACKED = "not-tracked";

    /** Shanghai's calendar, in which target and effective dates are stated. */
    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static final Set<OverallStage> UNTRACKED =
            EnumSet.of(OverallStage.UNKNOWN, OverallStage.NOT_STARTED, OverallStage.WITHDRAWN);
    private static final Set<OverallStage> LIVE = EnumSet.of(OverallStage.LIVE, OverallStage.EVALUATED);

    public HealthRules {
        Objects.requireNonNull(zone, "zone");
        if (silentDaysRed < 0 || silentDaysYellow < 0 || targetWithinDaysYellow < 0) {
            throw new IllegalArgumentException("thresholds are days, 0 or more (0 switches a rule off)");
        }
    }

    /** The rules: red after the target date or 90 silent days rolling out; yellow within 30 days of the target with under half live, after 45 silent days, or paused. */
    public static HealthRules defaults() {
        return new HealthRules(true, 90, 45, 30, true, SHANGHAI);
    }

    /** The health of {@code status} at wall-clock {@code now}, with the rules that set it. */
    public HealthEvaluation evaluate(ReplicationStatus status, Instant now) {
        OverallStage stage = status.getOverallStage();
        if (UNTRACKED.contains(stage)) {
            return HealthEvaluation.of(Health.UNKNOWN, List.of(HealthEvaluation.FiredRule.of(NOT_TRACKED, Health.UNKNOWN)));
        }
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate target = status.getTargetDate();
        boolean live = LIVE.contains(stage);
        Long silentDays = status.getLastReportAt() == null ? null
                : ChronoUnit.DAYS.between(LocalDate.ofInstant(status.getLastReportAt(), zone), today);
        int measuresLive = status.getMeasuresLive();
        int measuresPlanned = status.getMeasuresPlanned();

        List<HealthEvaluation.FiredRule> fired = new ArrayList<>();
        if (targetPassedNotLive && target != null && !live && today.isAfter(target)) {
            fired.add(HealthEvaluation.FiredRule.of(TARGET_PASSED_NOT_LIVE, Health.RED,
                    target, measuresLive, measuresPlanned));
        }
        if (silentDaysRed > 0 && stage == OverallStage.ROLLING_OUT && silentDays != null && silentDays >= silentDaysRed) {
            fired.add(HealthEvaluation.FiredRule.of(SILENT_WHILE_ROLLING_OUT, Health.RED, silentDays, silentDaysRed));
        }
        if (targetWithinDaysYellow > 0 && target != null && !live && !today.isAfter(target)) {
            long daysLeft = ChronoUnit.DAYS.between(today, target);
            if (daysLeft <= targetWithinDaysYellow && measuresLive * 2 < measuresPlanned) {
                fired.add(HealthEvaluation.FiredRule.of(TARGET_NEAR_FEW_LIVE, Health.YELLOW,
                        target, daysLeft, measuresLive, measuresPlanned));
            }
        }
        if (silentDaysYellow > 0 && stage != OverallStage.PAUSED && silentDays != null && silentDays >= silentDaysYellow) {
            fired.add(HealthEvaluation.FiredRule.of(SILENT, Health.YELLOW, silentDays, silentDaysYellow));
        }
        if (pausedYellow && stage == OverallStage.PAUSED) {
            fired.add(HealthEvaluation.FiredRule.of(PAUSED, Health.YELLOW));
        }
        if (fired.isEmpty()) {
            return HealthEvaluation.of(Health.GREEN, List.of(HealthEvaluation.FiredRule.of(ON_TRACK, Health.GREEN)));
        }
        Health worst = fired.stream().map(HealthEvaluation.FiredRule::health)
                .max(HealthRules::compareSeverity).orElseThrow();
        return HealthEvaluation.of(worst, fired.stream().filter(r -> r.health() == worst).toList());
    }

    private static int compareSeverity(Health a, Health b) {
        return Integer.compare(severity(a), severity(b));
    }

    private static int severity(Health h) {
        return switch (h) {
            case RED -> 3;
            case YELLOW -> 2;
            case GREEN -> 1;
            case UNKNOWN -> 0;
        };
    }
}
