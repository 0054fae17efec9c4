package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static sh.reform.schema.events.AdoptionDecision.ADOPTED;
import static sh.reform.schema.events.AdoptionDecision.INTENDS;
import static sh.reform.schema.events.AdoptionDecision.PAUSED;
import static sh.reform.schema.events.AdoptionDecision.WITHDRAWN;
import static sh.reform.schema.events.RolloutStage.LIVE;
import static sh.reform.schema.events.RolloutStage.PILOT;
import static sh.reform.schema.events.RolloutStage.PLANNED;
import static sh.reform.schema.events.RolloutStage.SCALED;
import static sh.reform.schema.events.RolloutStage.SUSPENDED;
import static sh.reform.status.fold.Reports.K1;
import static sh.reform.status.fold.Reports.M1;
import static sh.reform.status.fold.Reports.M2;
import static sh.reform.status.fold.Reports.M3;
import static sh.reform.status.fold.Reports.adoption;
import static sh.reform.status.fold.Reports.at;
import static sh.reform.status.fold.Reports.coverage;
import static sh.reform.status.fold.Reports.events;
import static sh.reform.status.fold.Reports.outcome;
import static sh.reform.status.fold.Reports.rollout;
import static sh.reform.status.fold.Reports.rolloutBuilder;

import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusTransition;

class OverallStageTest {

    private final StatusFold fold = Reports.fold();

    static Stream<Arguments> stages() {
        return Stream.of(
                row("noEventsIsNotStarted", events(), OverallStage.NOT_STARTED),
                row("outcomeAloneStartsNothing",
                        events(outcome("o1", "2024-02-01", K1, "2024-01", 20)),
                        OverallStage.NOT_STARTED),
                row("intentionIsPlanned",
                        events(adoption("a1", "2024-01-10", INTENDS)),
                        OverallStage.PLANNED, "NOT_STARTED>PLANNED"),
                row("adoptionIsAdopted",
                        events(adoption("a1", "2024-01-10", INTENDS), adoption("a2", "2024-01-20", ADOPTED)),
                        OverallStage.ADOPTED, "NOT_STARTED>PLANNED", "PLANNED>ADOPTED"),
                row("measuresOnlyPlannedStayAdopted",
                        events(adoption("a1", "2024-01-10", ADOPTED), rollout("r1", "2024-01-15", M1, PLANNED)),
                        OverallStage.ADOPTED, "NOT_STARTED>ADOPTED"),
                row("suspendedMeasureAloneIsNotRollingOut",
                        events(adoption("a1", "2024-01-10", ADOPTED), rollout("r1", "2024-01-15", M1, SUSPENDED)),
                        OverallStage.ADOPTED, "NOT_STARTED>ADOPTED"),
                row("pilotIsRollingOut",
                        events(adoption("a1", "2024-01-10", ADOPTED), rollout("r1", "2024-02-01", M1, PILOT)),
                        OverallStage.ROLLING_OUT, "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT"),
                row("somePlannedLiveIsRollingOut",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1, M2), rollout("r1", "2024-02-01", M1, LIVE)),
                        OverallStage.ROLLING_OUT, "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT"),
                row("allPlannedLiveOrScaledIsLive",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1, M2),
                                rollout("r1", "2024-02-01", M1, LIVE), rollout("r2", "2024-03-01", M2, SCALED)),
                        OverallStage.LIVE, "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT", "ROLLING_OUT>LIVE"),
                row("emptyPlanNeedsEveryCatalogMeasureLive",
                        events(adoption("a1", "2024-01-10", ADOPTED),
                                rollout("r1", "2024-02-01", M1, LIVE), rollout("r2", "2024-02-02", M2, LIVE)),
                        OverallStage.ROLLING_OUT, "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT"),
                row("emptyPlanLiveWhenEveryCatalogMeasureLive",
                        events(adoption("a1", "2024-01-10", ADOPTED),
                                rollout("r1", "2024-02-01", M1, LIVE), rollout("r2", "2024-02-02", M2, LIVE),
                                rollout("r3", "2024-02-03", M3, LIVE)),
                        OverallStage.LIVE, "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT", "ROLLING_OUT>LIVE"),
                row("outcomeAfterGoingLiveIsEvaluated",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1),
                                rollout("r1", "2024-02-01", M1, LIVE), outcome("o1", "2024-03-01", K1, "2024-02", 30)),
                        OverallStage.EVALUATED, "NOT_STARTED>ADOPTED", "ADOPTED>LIVE", "LIVE>EVALUATED"),
                row("outcomeBeforeGoingLiveDoesNotEvaluate",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1),
                                outcome("o1", "2024-01-20", K1, "2024-01", 10), rollout("r1", "2024-02-01", M1, LIVE)),
                        OverallStage.LIVE, "NOT_STARTED>ADOPTED", "ADOPTED>LIVE"),
                row("suspendingALiveMeasureReturnsToRollingOut",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1, M2),
                                rollout("r1", "2024-02-01", M1, LIVE), rollout("r2", "2024-02-02", M2, LIVE),
                                rollout("r3", "2024-03-01", M2, SUSPENDED)),
                        OverallStage.ROLLING_OUT,
                        "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT", "ROLLING_OUT>LIVE", "LIVE>ROLLING_OUT"),
                row("goingLiveAgainNeedsANewOutcome",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1),
                                rollout("r1", "2024-02-01", M1, LIVE), outcome("o1", "2024-03-01", K1, "2024-02", 30),
                                rollout("r2", "2024-04-01", M1, SUSPENDED), rollout("r3", "2024-05-01", M1, LIVE)),
                        OverallStage.LIVE,
                        "NOT_STARTED>ADOPTED", "ADOPTED>LIVE", "LIVE>EVALUATED", "EVALUATED>ADOPTED", "ADOPTED>LIVE"),
                row("pauseIsPaused",
                        events(adoption("a1", "2024-01-10", ADOPTED), rollout("r1", "2024-02-01", M1, PILOT),
                                adoption("a2", "2024-03-01", PAUSED)),
                        OverallStage.PAUSED, "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT", "ROLLING_OUT>PAUSED"),
                row("resumingAfterPauseReturnsToRollingOut",
                        events(adoption("a1", "2024-01-10", ADOPTED), rollout("r1", "2024-02-01", M1, PILOT),
                                adoption("a2", "2024-03-01", PAUSED), adoption("a3", "2024-04-01", ADOPTED)),
                        OverallStage.ROLLING_OUT,
                        "NOT_STARTED>ADOPTED", "ADOPTED>ROLLING_OUT", "ROLLING_OUT>PAUSED", "PAUSED>ROLLING_OUT"),
                row("withdrawalOverridesLiveMeasures",
                        events(adoption("a1", "2024-01-10", ADOPTED, null, M1), rollout("r1", "2024-02-01", M1, LIVE),
                                adoption("a2", "2024-03-01", WITHDRAWN)),
                        OverallStage.WITHDRAWN, "NOT_STARTED>ADOPTED", "ADOPTED>LIVE", "LIVE>WITHDRAWN"),
                row("intentionWithLiveMeasuresFollowsTheFacts",
                        events(adoption("a1", "2024-01-10", INTENDS, null, M1), rollout("r1", "2024-02-01", M1, LIVE)),
                        OverallStage.LIVE, "NOT_STARTED>PLANNED", "PLANNED>LIVE"),
                row("rolloutWithoutAdoptionFollowsTheMeasures",
                        events(rollout("r1", "2024-02-01", M1, PILOT)),
                        OverallStage.ROLLING_OUT, "NOT_STARTED>ROLLING_OUT"),
                row("rolloutWithoutAdoptionOnlyPlannedIsPlanned",
                        events(rollout("r1", "2024-02-01", M1, PLANNED)),
                        OverallStage.PLANNED, "NOT_STARTED>PLANNED"));
    }

    private static Arguments row(String behaviour, List<SpecificRecord> events, OverallStage expected,
                                 String... caseTransitions) {
        return Arguments.of(behaviour, events, expected, List.of(caseTransitions));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void overallStageFollowsTheLifecycle(String behaviour, List<SpecificRecord> events, OverallStage expected,
                                         List<String> caseTransitions) {
        ReplicationStatus status = fold.foldAll(Reports.CASE, Reports.DISTRICT, events, at("2024-06-01")).toStatus();

        assertThat(status.getOverallStage()).isEqualTo(expected);
        assertThat(status.getHistory())
                .filteredOn(t -> t.getSubject().equals(StatusDerivation.CASE_SUBJECT))
                .extracting(t -> t.getFrom() + ">" + t.getTo())
                .containsExactlyElementsOf(caseTransitions);
        assertThat(status.getEventCount()).isEqualTo(events.size());
    }

    @Test
    void historyRecordsEveryStageChangeInOccurredOrderWithItsEvent() {
        ReplicationStatus status = fold.foldAll(Reports.CASE, Reports.DISTRICT, events(
                adoption("a1", "2024-01-10", ADOPTED, null, M1),
                rollout("r1", "2024-02-01", M1, PILOT),
                rollout("r2", "2024-02-15", M1, PILOT),
                rollout("r3", "2024-03-01", M1, LIVE)), at("2024-03-02")).toStatus();

        // Stage changes only: the LIVE claim is also a supervision step (CLAIM_SUBMITTED), see SupervisionFoldTest.
        assertThat(status.getHistory()).filteredOn(t -> !t.getSubject().equals("supervision"))
                .extracting(StatusTransition::getEventId, StatusTransition::getSubject,
                        StatusTransition::getFrom, StatusTransition::getTo, StatusTransition::getAt)
                .containsExactly(
                        tuple("a1", "case", "NOT_STARTED", "ADOPTED", at("2024-01-10")),
                        tuple("r1", M1, null, "PILOT", at("2024-02-01")),
                        tuple("r1", "case", "ADOPTED", "ROLLING_OUT", at("2024-02-01")),
                        tuple("r3", M1, "PILOT", "LIVE", at("2024-03-01")),
                        tuple("r3", "case", "ROLLING_OUT", "LIVE", at("2024-03-01")));
    }

    @Test
    void measureKeepsLatestStageAndLastStatedCoverageAndServiceItem() {
        ReplicationStatus status = fold.foldAll(Reports.CASE, Reports.DISTRICT, events(
                adoption("a1", "2024-01-10", ADOPTED, null, M1, M2),
                rolloutBuilder("r1", "2024-02-01", M1, PILOT).setCoverage(coverage(4, 30, "楼宇"))
                        .setServiceItemCode("310116-0001").setEffectiveDate(Reports.date("2024-02-01")).build(),
                rolloutBuilder("r2", "2024-03-01", M1, LIVE).setEffectiveDate(Reports.date("2024-03-01")).build(),
                rolloutBuilder("r3", "2024-04-01", M1, SCALED).setCoverage(coverage(30, 30, "楼宇")).build()),
                at("2024-04-02")).toStatus();

        MeasureStatus m1 = status.getMeasures().get(0);
        assertThat(m1.getMeasureId()).isEqualTo(M1);
        assertThat(m1.getStage()).isEqualTo(SCALED);
        assertThat(m1.getCoverage()).isEqualTo(coverage(30, 30, "楼宇"));
        assertThat(m1.getServiceItemCode()).isEqualTo("310116-0001");
        assertThat(m1.getEffectiveDate()).as("a new stage without a date has no effective date").isNull();
        assertThat(m1.getFirstLiveAt()).isEqualTo(at("2024-03-01"));
        assertThat(m1.getChangedAt()).isEqualTo(at("2024-04-01"));
        MeasureStatus m2 = status.getMeasures().get(1);
        assertThat(m2.getMeasureId()).isEqualTo(M2);
        assertThat(m2.getPlanned()).isTrue();
        assertThat(m2.getStage()).as("planned but never reported").isNull();
        assertThat(status.getMeasuresPlanned()).isEqualTo(2);
        assertThat(status.getMeasuresLive()).isEqualTo(1);
    }

    @Test
    void pauseAndWithdrawalKeepLeadAgencyTargetDateAndPlan() {
        ReplicationStatus status = fold.foldAll(Reports.CASE, Reports.DISTRICT, events(
                adoption("a1", "2024-01-10", INTENDS, "2024-12-31"),
                adoption("a2", "2024-01-20", ADOPTED, "2024-06-30", M1, M2),
                adoption("a3", "2024-03-01", PAUSED)),
                at("2024-03-02")).toStatus();

        assertThat(status.getDecision()).isEqualTo(PAUSED);
        assertThat(status.getLeadAgency()).isEqualTo("金山区市场监管局");
        assertThat(status.getTargetDate()).isEqualTo(Reports.date("2024-06-30"));
        assertThat(status.getMeasures()).extracting(MeasureStatus::getMeasureId).containsExactly(M1, M2);
        assertThat(status.getMeasuresPlanned()).isEqualTo(2);
    }

    @Test
    void liveCountsOnlyPlannedMeasures() {
        ReplicationStatus status = fold.foldAll(Reports.CASE, Reports.DISTRICT, events(
                adoption("a1", "2024-01-10", ADOPTED, null, M1, M2),
                rollout("r1", "2024-02-01", M3, LIVE),
                rollout("r2", "2024-02-02", M1, LIVE)),
                at("2024-03-02")).toStatus();

        assertThat(status.getMeasuresLive()).isEqualTo(1);
        assertThat(status.getMeasuresPlanned()).isEqualTo(2);
        assertThat(status.getMeasures())
                .extracting(MeasureStatus::getMeasureId, MeasureStatus::getPlanned)
                .containsExactly(
                        tuple(M1, true),
                        tuple(M2, true),
                        tuple(M3, false));
        assertThat(status.getOverallStage()).isEqualTo(OverallStage.ROLLING_OUT);
    }

    @Test
    void unknownCaseWithoutPlanIsJudgedByTheMeasuresReported() {
        StatusFold blind = new StatusFold(CatalogView.empty(), HealthRules.defaults());

        ReplicationStatus status = blind.foldAll(Reports.CASE, Reports.DISTRICT, events(
                adoption("a1", "2024-01-10", ADOPTED),
                rollout("r1", "2024-02-01", M1, LIVE)), at("2024-03-02")).toStatus();

        assertThat(status.getMeasuresPlanned()).isEqualTo(1);
        assertThat(status.getOverallStage()).isEqualTo(OverallStage.LIVE);
        assertThat(status.getFlags()).isEmpty();
    }
}
