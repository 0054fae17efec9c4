package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sh.reform.schema.events.AdoptionDecision.ADOPTED;
import static sh.reform.schema.events.AdoptionDecision.PAUSED;
import static sh.reform.schema.events.AdoptionDecision.WITHDRAWN;
import static sh.reform.schema.events.RolloutStage.LIVE;
import static sh.reform.schema.events.RolloutStage.PILOT;
import static sh.reform.status.fold.HealthRules.NOT_TRACKED;
import static sh.reform.status.fold.HealthRules.ON_TRACK;
import static sh.reform.status.fold.HealthRules.SILENT;
import static sh.reform.status.fold.HealthRules.SILENT_WHILE_ROLLING_OUT;
import static sh.reform.status.fold.HealthRules.TARGET_NEAR_FEW_LIVE;
import static sh.reform.status.fold.HealthRules.TARGET_PASSED_NOT_LIVE;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;
import static sh.reform.status.fold.Reports.M1;
import static sh.reform.status.fold.Reports.M2;
import static sh.reform.status.fold.Reports.adoption;
import static sh.reform.status.fold.Reports.at;
import static sh.reform.status.fold.Reports.events;
import static sh.reform.status.fold.Reports.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.status.Health;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;

class HealthRulesTest {

    private final StatusFold fold = Reports.fold();

    /** Adopted with M1 and M2 planned and the given target; M1 reached pilot at {@code lastReport}. */
    private static List<SpecificRecord> rollingOut(String lastReport, String target) {
        return events(adoption("a1", "2024-01-10", ADOPTED, target, M1, M2), rollout("r1", lastReport, M1, PILOT));
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                row("notStartedIsNotTracked", events(), "2024-03-01", Health.UNKNOWN, NOT_TRACKED),
                row("withdrawnIsNotTrackedEvenPastTarget",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2024-06-30"), adoption("a2", "2024-02-01", WITHDRAWN)),
                        "2025-01-01", Health.UNKNOWN, NOT_TRACKED),
                row("recentReportIsGreen", rollingOut("2024-02-01", "2024-12-31"), "2024-02-10",
                        Health.GREEN, ON_TRACK),
                row("targetPassedNotLiveIsRed", rollingOut("2024-06-20", "2024-06-30"), "2024-07-01",
                        Health.RED, TARGET_PASSED_NOT_LIVE),
                row("targetDayItselfIsNotYetPassed", rollingOut("2024-06-20", "2024-06-30"), "2024-06-30",
                        Health.YELLOW, TARGET_NEAR_FEW_LIVE),
                row("targetPassedButLiveIsGreen",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2024-06-30", M1, M2),
                                rollout("r1", "2024-06-20", M1, LIVE), rollout("r2", "2024-06-21", M2, LIVE)),
                        "2024-07-05", Health.GREEN, ON_TRACK),
                row("pausedPastTargetIsRed",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2024-06-30"), adoption("a2", "2024-06-01", PAUSED)),
                        "2024-07-01", Health.RED, TARGET_PASSED_NOT_LIVE),
                row("silent90DaysWhileRollingOutIsRed", rollingOut("2024-01-15", "2025-12-31"), "2024-04-14",
                        Health.RED, SILENT_WHILE_ROLLING_OUT),
                row("silent89DaysWhileRollingOutIsYellow", rollingOut("2024-01-15", "2025-12-31"), "2024-04-13",
                        Health.YELLOW, SILENT),
                row("silent45DaysIsYellow", rollingOut("2024-01-15", "2025-12-31"), "2024-02-29",
                        Health.YELLOW, SILENT),
                row("silent44DaysIsGreen", rollingOut("2024-01-15", "2025-12-31"), "2024-02-28",
                        Health.GREEN, ON_TRACK),
                row("adoptedButSilentLongIsOnlyYellow",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2025-12-31")),
                        "2024-07-01", Health.YELLOW, SILENT),
                row("liveButSilentIsYellow",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2025-12-31", M1), rollout("r1", "2024-02-01", M1, LIVE)),
                        "2024-04-01", Health.YELLOW, SILENT),
                row("targetWithin30DaysFewLiveIsYellow", rollingOut("2024-05-25", "2024-06-30"), "2024-05-31",
                        Health.YELLOW, TARGET_NEAR_FEW_LIVE),
                row("target31DaysAwayIsGreen", rollingOut("2024-05-25", "2024-06-30"), "2024-05-30",
                        Health.GREEN, ON_TRACK),
                row("targetNearWithHalfLiveIsGreen",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2024-06-30", M1, M2), rollout("r1", "2024-05-25", M1, LIVE)),
                        "2024-06-15", Health.GREEN, ON_TRACK),
                row("pausedIsYellow",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2025-12-31"), rollout("r1", "2024-01-20", M1, PILOT),
                                adoption("a2", "2024-02-01", PAUSED)),
                        "2024-02-05", Health.YELLOW, HealthRules.PAUSED),
                row("pausedSilenceIsNotCountedAsSilence",
                        events(adoption("a1", "2024-01-10", ADOPTED, "2025-12-31"), rollout("r1", "2024-01-20", M1, PILOT),
                                adoption("a2", "2024-02-01", PAUSED)),
                        "2024-09-01", Health.YELLOW, HealthRules.PAUSED),
                row("everyRedRuleThatFiresIsNamed", rollingOut("2024-01-15", "2024-03-31"), "2024-04-20",
                        Health.RED, TARGET_PASSED_NOT_LIVE, SILENT_WHILE_ROLLING_OUT));
    }

    private static Arguments row(String behaviour, List<SpecificRecord> events, String now, Health health,
                                 String... rules) {
        return Arguments.of(behaviour, events, now, health, List.of(rules));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void healthFollowsTheNamedRules(String behaviour, List<SpecificRecord> events, String now, Health health,
                                    List<String> rules) {
        ReplicationStatus status = fold.foldAll(CASE, DISTRICT, events, at(now)).toStatus();

        assertThat(status.getHealth()).isEqualTo(health);
        assertThat(status.getHealthRules()).containsExactlyElementsOf(rules);
        assertThat(status.getEvaluatedAt()).isEqualTo(at(now));
    }

    @Test
    void silenceTurnsCellYellowThenRedWithoutNewEvent() {
        CellState reported = fold.foldAll(CASE, DISTRICT, rollingOut("2024-01-15", "2025-12-31"), at("2024-01-16"));
        assertThat(reported.toStatus().getHealth()).isEqualTo(Health.GREEN);

        CellState day45 = fold.evaluate(reported, at("2024-02-29"));
        CellState day60 = fold.evaluate(day45, at("2024-03-15"));
        CellState day90 = fold.evaluate(day60, at("2024-04-14"));

        assertThat(day45.toStatus().getHealth()).isEqualTo(Health.YELLOW);
        assertThat(day90.toStatus().getHealth()).isEqualTo(Health.RED);
        assertThat(day90.events()).isEqualTo(reported.events());

        StatusAlert toYellow = fold.alert(reported, day45).orElseThrow();
        assertThat(toYellow.getPreviousHealth()).isEqualTo(Health.GREEN);
        assertThat(toYellow.getHealth()).isEqualTo(Health.YELLOW);
        assertThat(toYellow.getRule()).isEqualTo(SILENT);
        assertThat(toYellow.getReasonZh()).contains("45 天");
        assertThat(toYellow.getReasonEn()).contains("45 days");
        assertThat(toYellow.getRaisedAt()).isEqualTo(at("2024-02-29"));

        assertThat(fold.alert(day45, day60)).as("still yellow: nothing to publish").isEmpty();

        StatusAlert toRed = fold.alert(day60, day90).orElseThrow();
        assertThat(toRed.getPreviousHealth()).isEqualTo(Health.YELLOW);
        assertThat(toRed.getHealth()).isEqualTo(Health.RED);
        assertThat(toRed.getRule()).isEqualTo(SILENT_WHILE_ROLLING_OUT);
        assertThat(toRed.getReasonZh()).contains("推进中已连续 90 天");
        assertThat(toRed.getReasonEn()).contains("90 days while rolling out");
    }

    @Test
    void aNewReportAfterSilenceTurnsTheCellGreenAgain() {
        CellState silent = fold.foldAll(CASE, DISTRICT, rollingOut("2024-01-15", "2025-12-31"), at("2024-03-15"));
        CellState reported = fold.evaluate(fold.apply(silent, rollout("r2", "2024-03-15", M2, PILOT)), at("2024-03-15"));

        assertThat(silent.toStatus().getHealth()).isEqualTo(Health.YELLOW);
        assertThat(reported.toStatus().getHealth()).isEqualTo(Health.GREEN);
        assertThat(fold.alert(silent, reported)).map(StatusAlert::getRule).contains(ON_TRACK);
    }

    @Test
    void targetPassedUsesTheShanghaiCalendar() {
        List<SpecificRecord> events = rollingOut("2024-06-20", "2024-06-30");

        // 2024-06-30 23:59 in Shanghai, still the target day; one minute later it is 2024-07-01 there, still 06-30 in UTC.
        Health lastMinute = fold.foldAll(CASE, DISTRICT, events, Instant.parse("2024-06-30T15:59:00Z")).toStatus().getHealth();
        Health nextDay = fold.foldAll(CASE, DISTRICT, events, Instant.parse("2024-06-30T16:00:00Z")).toStatus().getHealth();

        assertThat(lastMinute).isEqualTo(Health.YELLOW);
        assertThat(nextDay).isEqualTo(Health.RED);
    }

    @Test
    void zeroThresholdsAndFalseSwitchRulesOff() {
        StatusFold lenient = new StatusFold(Reports.catalog(), new HealthRules(false, 0, 0, 0, false, HealthRules.SHANGHAI));

        ReplicationStatus silentPastTarget = lenient.foldAll(CASE, DISTRICT, rollingOut("2024-01-15", "2024-03-31"),
                at("2024-12-01")).toStatus();
        ReplicationStatus paused = lenient.foldAll(CASE, DISTRICT,
                events(adoption("a1", "2024-01-10", ADOPTED), adoption("a2", "2024-02-01", PAUSED)), at("2024-12-01")).toStatus();

        assertThat(silentPastTarget.getHealth()).isEqualTo(Health.GREEN);
        assertThat(paused.getHealth()).isEqualTo(Health.GREEN);
    }

    @Test
    void rejectsNegativeThresholds() {
        assertThatThrownBy(() -> new HealthRules(true, -1, 45, 30, true, HealthRules.SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void applyKeepsTheLastEvaluatedHealthUntilEvaluated() {
        CellState green = fold.foldAll(CASE, DISTRICT, rollingOut("2024-06-20", "2024-06-30"), at("2024-06-21"));

        CellState applied = fold.apply(green, rollout("r2", "2024-06-22", M2, PILOT));

        assertThat(applied.toStatus().getHealth()).isEqualTo(green.toStatus().getHealth());
        assertThat(applied.toStatus().getHealthRules()).isEqualTo(green.toStatus().getHealthRules());
        assertThat(applied.toStatus().getEvaluatedAt()).isEqualTo(at("2024-06-21"));
        assertThat(fold.alert(green, applied)).isEmpty();
    }

    @Test
    void replayRaisesTheSameAlertWithTheSameId() {
        Optional<StatusAlert> first = alertOnTargetPassed();
        Optional<StatusAlert> replayed = alertOnTargetPassed();

        assertThat(first).isPresent();
        assertThat(replayed).isEqualTo(first);
        assertThat(first.get().getRule()).isEqualTo(TARGET_PASSED_NOT_LIVE);
        assertThat(first.get().getReasonZh()).contains("目标日期 2024-06-30 已过").contains("0/2");
        assertThat(first.get().getReasonEn()).contains("Target date 2024-06-30 has passed").contains("0 of 2");
    }

    private Optional<StatusAlert> alertOnTargetPassed() {
        StatusFold fresh = Reports.fold();
        CellState before = fresh.foldAll(CASE, DISTRICT, rollingOut("2024-06-20", "2024-06-30"), at("2024-06-21"));
        return fresh.alert(before, fresh.evaluate(before, at("2024-07-01")));
    }

    @Test
    void alertIdDiffersForADifferentEvaluationTime() {
        CellState before = fold.foldAll(CASE, DISTRICT, rollingOut("2024-06-20", "2024-06-30"), at("2024-06-21"));

        String onFirst = fold.alert(before, fold.evaluate(before, at("2024-07-01"))).orElseThrow().getAlertId();
        String onSecond = fold.alert(before, fold.evaluate(before, at("2024-07-02"))).orElseThrow().getAlertId();

        assertThat(onFirst).isNotEqualTo(onSecond);
    }
}
