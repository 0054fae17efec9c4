package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static sh.reform.schema.events.AdoptionDecision.ADOPTED;
import static sh.reform.schema.events.AdoptionDecision.INTENDS;
import static sh.reform.schema.events.AdoptionDecision.PAUSED;
import static sh.reform.schema.events.RolloutStage.LIVE;
import static sh.reform.schema.events.RolloutStage.PILOT;
import static sh.reform.schema.events.RolloutStage.SCALED;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;
import static sh.reform.status.fold.Reports.K1;
import static sh.reform.status.fold.Reports.K2;
import static sh.reform.status.fold.Reports.M1;
import static sh.reform.status.fold.Reports.M2;
import static sh.reform.status.fold.Reports.M3;
import static sh.reform.status.fold.Reports.adoption;
import static sh.reform.status.fold.Reports.at;
import static sh.reform.status.fold.Reports.events;
import static sh.reform.status.fold.Reports.outcome;
import static sh.reform.status.fold.Reports.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.common.Coverage;
import sh.reform.schema.status.LifecycleFlag;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusTransition;

class OrderAndDuplicatesTest {

    private static final Instant NOW = at("2024-09-01");

    private final StatusFold fold = Reports.fold();

    /** A cell's whole life with every kind of event, two of them at the same instant, and a contradiction. */
    static List<SpecificRecord> lifeOfACell() {
        return events(
                rollout("e01", "2024-01-05", M3, PILOT),
                adoption("e02", "2024-01-10", INTENDS, "2024-12-31"),
                adoption("e03", "2024-01-20", ADOPTED, "2024-09-30", M1, M2),
                rollout("e04", "2024-02-01", M1, PILOT),
                rollout("e05", "2024-03-01T09:00", M1, LIVE),
                rollout("e06", "2024-03-01T09:00", M2, PILOT),
                outcome("e07", "2024-03-15", K1, "2024-02", 12.5),
                adoption("e08", "2024-04-01", PAUSED),
                adoption("e09", "2024-05-01", ADOPTED, "2024-09-30", M1, M2),
                rollout("e10", "2024-06-01", M2, LIVE),
                rollout("e11", "2024-06-15", M3, LIVE),
                outcome("e12", "2024-07-01", K1, "2024-06", 30.0),
                outcome("e13", "2024-07-10", K1, "2024-06", 31.0),
                rollout("e14", "2024-08-01", M2, SCALED),
                outcome("e15", "2024-08-15", K2, "2024-Q2", 100));
    }

    @Test
    void outOfOrderRolloutAppliesByOccurredAt() {
        CellState state = CellState.empty(CASE, DISTRICT);
        state = fold.apply(state, adoption("a1", "2024-01-10", ADOPTED, null, M1));
        state = fold.apply(state, rollout("r2", "2024-03-01", M1, LIVE));
        state = fold.apply(state, rollout("r1", "2024-02-01", M1, PILOT)); // arrives last, happened earlier

        ReplicationStatus status = state.toStatus();
        assertThat(status.getMeasures()).extracting(MeasureStatus::getStage).containsExactly(LIVE);
        assertThat(status.getOverallStage()).isEqualTo(OverallStage.LIVE);
        assertThat(status.getMeasures().get(0).getFirstLiveAt()).isEqualTo(at("2024-03-01"));
        assertThat(status.getHistory())
                .filteredOn(t -> t.getSubject().equals(M1))
                .extracting(StatusTransition::getEventId).containsExactly("r1", "r2");
        assertThat(status.getLastReportAt()).isEqualTo(at("2024-03-01"));
        assertThat(state.events()).extracting(e -> CellState.envelopeOf(e).getEventId()).containsExactly("a1", "r1", "r2");
    }

    @Test
    void lateArrivingEarlierAdoptionIsNoContradiction() {
        CellState state = CellState.empty(CASE, DISTRICT);
        state = fold.apply(state, rollout("r1", "2024-02-01", M1, PILOT));
        assertThat(state.toStatus().getFlags()).extracting(LifecycleFlag::getCode).containsExactly("ROLLOUT_BEFORE_ADOPTION");

        state = fold.apply(state, adoption("a1", "2024-01-10", ADOPTED));

        assertThat(state.toStatus().getFlags()).isEmpty();
        assertThat(state.toStatus().getOverallStage()).isEqualTo(OverallStage.ROLLING_OUT);
    }

    @Test
    void outOfOrderArrivalGivesTheSameStatusAsInOrder() {
        List<SpecificRecord> inOrder = lifeOfACell();
        List<SpecificRecord> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed);

        assertThat(fold.foldAll(CASE, DISTRICT, reversed, NOW))
                .isEqualTo(fold.foldAll(CASE, DISTRICT, inOrder, NOW));
    }

    @Test
    void duplicateEventIdChangesNothing() {
        CellState once = fold.foldAll(CASE, DISTRICT, lifeOfACell(), NOW);

        CellState again = once;
        for (SpecificRecord event : lifeOfACell()) {
            again = fold.apply(again, event);
        }

        assertThat(again).isSameAs(once);
        assertThat(again.toStatus().getEventCount()).isEqualTo(15);
    }

    @Test
    void repeatedIdWithDifferentContentKeepsTheFirstCopy() {
        CellState state = fold.foldAll(CASE, DISTRICT,
                events(adoption("a1", "2024-01-10", ADOPTED, null, M1), rollout("r1", "2024-02-01", M1, PILOT)), NOW);

        CellState after = fold.apply(state, rollout("r1", "2024-03-01", M1, LIVE));

        assertThat(after).isSameAs(state);
        assertThat(after.toStatus().getMeasures().get(0).getStage()).isEqualTo(PILOT);
    }

    @Test
    void eventsAtTheSameInstantApplyInEventIdOrder() {
        List<SpecificRecord> events = events(
                adoption("a1", "2024-01-10", ADOPTED, null, M1),
                rollout("r-b", "2024-02-01T09:00", M1, LIVE),
                rollout("r-a", "2024-02-01T09:00", M1, PILOT));

        ReplicationStatus status = fold.foldAll(CASE, DISTRICT, events, NOW).toStatus();

        assertThat(status.getMeasures().get(0).getStage()).isEqualTo(LIVE);
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyPermutationWithRepeatsGivesTheSameStatus(long seed) {
        Random random = new Random(seed);
        List<SpecificRecord> shuffled = new ArrayList<>(lifeOfACell());
        for (int i = 0; i < 5; i++) { // redeliveries, as after a crash before commit
            shuffled.add(shuffled.get(random.nextInt(shuffled.size())));
        }
        Collections.shuffle(shuffled, random);

        CellState expected = fold.foldAll(CASE, DISTRICT, lifeOfACell(), NOW);
        CellState actual = fold.foldAll(CASE, DISTRICT, shuffled, NOW);

        assertThat(actual.toStatus()).isEqualTo(expected.toStatus());
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void lifeOfACellEndsEvaluatedWithItsContradictionKept() {
        ReplicationStatus status = fold.foldAll(CASE, DISTRICT, lifeOfACell(), NOW).toStatus();

        assertThat(status.getOverallStage()).isEqualTo(OverallStage.EVALUATED);
        assertThat(status.getMeasuresLive()).isEqualTo(2);
        assertThat(status.getFlags()).extracting(LifecycleFlag::getCode, LifecycleFlag::getEventId)
                .containsExactly(
                        tuple("ROLLOUT_BEFORE_ADOPTION", "e01"),
                        tuple("MEASURE_NOT_IN_PLAN", "e11"));
        assertThat(status.getHistory()).filteredOn(t -> t.getSubject().equals("case"))
                .extracting(StatusTransition::getTo)
                .containsExactly("ROLLING_OUT", "PAUSED", "ROLLING_OUT", "LIVE", "EVALUATED");
    }

    @Test
    void stateDoesNotChangeWhenTheCallerMutatesTheEventItPassed() {
        var event = Reports.rolloutBuilder("r1", "2024-02-01", M1, PILOT).setCoverage(Reports.coverage(4, 30, "楼宇")).build();
        CellState state = fold.apply(CellState.empty(CASE, DISTRICT), event);

        event.setStage(LIVE);
        event.getCoverage().setCovered(30);

        Coverage kept = state.toStatus().getMeasures().get(0).getCoverage();
        assertThat(state.toStatus().getMeasures().get(0).getStage()).isEqualTo(PILOT);
        assertThat(kept.getCovered()).isEqualTo(4);
    }

    @Test
    void rejectsAnEventOfAnotherCell() {
        var other = Reports.rolloutBuilder("r1", "2024-02-01", M1, PILOT).build();
        other.getEnvelope().setDistrictCode("310110");

        assertThatThrownBy(() -> fold.apply(CellState.empty(CASE, DISTRICT), other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("310110");
    }

    @Test
    void rejectsARecordThatIsNotAReportedEvent() {
        CatalogCase notAnEvent = Reports.catalogCase();

        assertThatThrownBy(() -> fold.apply(CellState.empty(CASE, DISTRICT), notAnEvent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CatalogCase");
    }
}
