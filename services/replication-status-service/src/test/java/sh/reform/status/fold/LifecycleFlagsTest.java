package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static sh.reform.schema.events.AdoptionDecision.ADOPTED;
import static sh.reform.schema.events.AdoptionDecision.INTENDS;
import static sh.reform.schema.events.AdoptionDecision.WITHDRAWN;
import static sh.reform.schema.events.RolloutStage.LIVE;
import static sh.reform.schema.events.RolloutStage.PILOT;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;
import static sh.reform.status.fold.Reports.K1;
import static sh.reform.status.fold.Reports.M1;
import static sh.reform.status.fold.Reports.M3;
import static sh.reform.status.fold.Reports.adoption;
import static sh.reform.status.fold.Reports.at;
import static sh.reform.status.fold.Reports.events;
import static sh.reform.status.fold.Reports.outcome;
import static sh.reform.status.fold.Reports.rollout;

import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.status.LifecycleFlag;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;

class LifecycleFlagsTest {

    private static final String M9 = CASE + "-M9";

    private final StatusFold fold = Reports.fold();

    static Stream<Arguments> contradictions() {
        return Stream.of(
                row("rolloutBeforeAdoptionIsFlagged",
                        events(rollout("r1", "2024-01-05", M1, PILOT), adoption("a1", "2024-01-10", ADOPTED)),
                        "ROLLOUT_BEFORE_ADOPTION:r1"),
                row("outcomeBeforeAdoptionIsFlagged",
                        events(outcome("o1", "2024-01-05", K1, "2023-12", 10), adoption("a1", "2024-01-10", ADOPTED)),
                        "OUTCOME_BEFORE_ADOPTION:o1"),
                row("intentionCountsAsAnAdoptionOnRecord",
                        events(adoption("a1", "2024-01-10", INTENDS), rollout("r1", "2024-01-15", M1, PILOT))),
                row("reportsAfterWithdrawalAreFlagged",
                        events(adoption("a1", "2024-01-10", ADOPTED), adoption("a2", "2024-02-01", WITHDRAWN),
                                rollout("r1", "2024-02-10", M1, LIVE), outcome("o1", "2024-03-01", K1, "2024-02", 20)),
                        "REPORT_AFTER_WITHDRAWAL:r1", "REPORT_AFTER_WITHDRAWAL:o1"),
                row("readoptionAfterWithdrawalIsNoContradiction",
                        events(adoption("a1", "2024-01-10", ADOPTED), adoption("a2", "2024-02-01", WITHDRAWN),
                                adoption("a3", "2024-03-01", ADOPTED), rollout("r1", "2024-03-10", M1, PILOT))),
                row("measureOutsideTheStatedPlanIsFlagged",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1), rollout("r1", "2024-02-01", M3, PILOT)),
                        "MEASURE_NOT_IN_PLAN:r1"),
                row("measureOutsideTheCatalogIsFlaggedWhenThePlanIsAll",
                        events(adoption("a1", "2024-01-10", ADOPTED), rollout("r1", "2024-02-01", M9, PILOT)),
                        "MEASURE_NOT_IN_PLAN:r1"),
                row("oneEventCanContradictTwice",
                        events(rollout("r1", "2024-01-05", M9, PILOT)),
                        "ROLLOUT_BEFORE_ADOPTION:r1", "MEASURE_NOT_IN_PLAN:r1"),
                row("judgedAgainstThePlanWhenTheEventOccurred",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1), rollout("r1", "2024-02-01", M3, PILOT),
                                adoption("a2", "2024-03-01", ADOPTED, null, M1, M3), rollout("r2", "2024-03-10", M3, LIVE)),
                        "MEASURE_NOT_IN_PLAN:r1"));
    }

    private static Arguments row(String behaviour, List<SpecificRecord> events, String... flags) {
        return Arguments.of(behaviour, events, List.of(flags));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contradictions")
    void contradictionsAreFlaggedAndTheEventsKept(String behaviour, List<SpecificRecord> events, List<String> flags) {
        CellState state = fold.foldAll(CASE, DISTRICT, events, at("2024-04-01"));
        ReplicationStatus status = state.toStatus();

        assertThat(status.getFlags()).extracting(f -> f.getCode() + ":" + f.getEventId()).containsExactlyElementsOf(flags);
        assertThat(state.events()).hasSize(events.size());
        assertThat(status.getEventCount()).isEqualTo(events.size());
        assertThat(status.getFlags()).allSatisfy(f -> {
            assertThat(f.getMessageZh()).containsPattern("\\p{IsHan}");
            assertThat(f.getMessageEn()).isNotBlank().doesNotContainPattern("\\p{IsHan}");
        });
    }

    @Test
    void flaggedEventsAreStillApplied() {
        ReplicationStatus status = fold.foldAll(CASE, DISTRICT, events(
                adoption("a1", "2024-01-10", ADOPTED, null, M1),
                adoption("a2", "2024-02-01", WITHDRAWN),
                rollout("r1", "2024-02-10", M1, LIVE),
                rollout("r2", "2024-02-11", M3, PILOT)), at("2024-03-01")).toStatus();

        assertThat(status.getOverallStage()).isEqualTo(OverallStage.WITHDRAWN);
        assertThat(status.getMeasures())
                .extracting(MeasureStatus::getMeasureId, MeasureStatus::getStage, MeasureStatus::getPlanned)
                .containsExactly(
                        tuple(M1, LIVE, true),
                        tuple(M3, PILOT, false));
        assertThat(status.getFlags()).extracting(LifecycleFlag::getCode)
                .containsExactly("REPORT_AFTER_WITHDRAWAL", "REPORT_AFTER_WITHDRAWAL", "MEASURE_NOT_IN_PLAN");
    }

    @Test
    void flagMessagesNameTheMeasureInBothLanguages() {
        LifecycleFlag flag = fold.foldAll(CASE, DISTRICT, events(rollout("r1", "2024-01-05", M1, PILOT)), at("2024-02-01"))
                .toStatus().getFlags().get(0);

        assertThat(flag.getMessageZh()).isEqualTo("举措 SH-2023-01-M1 已报告推进至 PILOT，但本区尚无该案例的采纳报告");
        assertThat(flag.getMessageEn())
                .isEqualTo("Measure SH-2023-01-M1 was reported at stage PILOT before the district reported any adoption of the case");
    }

    @Test
    void unknownCaseWithoutStatedPlanFlagsNoMeasure() {
        StatusFold blind = new StatusFold(CatalogView.empty(), HealthRules.defaults());

        ReplicationStatus status = blind.foldAll(CASE, DISTRICT, events(
                adoption("a1", "2024-01-10", ADOPTED), rollout("r1", "2024-02-01", M9, PILOT)), at("2024-03-01")).toStatus();

        assertThat(status.getFlags()).isEmpty();
    }
}
