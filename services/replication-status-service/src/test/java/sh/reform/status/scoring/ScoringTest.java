package sh.reform.status.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scoring model, table by table: each row is a district's facts and the score (and parts) they earn. */
class ScoringTest {

    private static final ScoringModel DEFAULTS = ScoringModel.defaults(); // 20/20/30/15/15, 5 per overdue, 10 days

    static DistrictFacts facts(String code, int eligible, int adopted, int live, int verified, int overdue, int answers,
                               double answerDays, int accepted, int returned) {
        return new DistrictFacts(code, "区" + code, "District " + code, eligible, adopted, live, verified, overdue, answers,
                answerDays, accepted, returned);
    }

    static Stream<Arguments> scores() {
        return Stream.of(
                // everything perfect: 100
                Arguments.of("all done, answered at once", facts("310101", 10, 10, 10, 10, 0, 2, 0, 3, 0), 100.0),
                // nothing adopted, nothing asked of it: only the three rates apply, all 0
                Arguments.of("nothing adopted, nothing assigned", facts("310104", 10, 0, 0, 0, 0, 0, 0, 0, 0), 0.0),
                // half adopted, nothing live, no supervision: 20·0.5/70·100 = 14.29
                Arguments.of("half adopted, no supervision", facts("310105", 10, 5, 0, 0, 0, 0, 0, 0, 0), 14.29),
                // all live, none verified, 1 of 2 claims returned, answers after 5 days (timeliness 0.5), one overdue:
                // (20+20+0)/100·100 + 15·0.5 + 15·0.5 = 55, −5 = 50
                Arguments.of("claimed but not verified, one overdue", facts("310106", 4, 4, 4, 0, 1, 2, 10, 1, 1), 50.0),
                // answers later than the horizon earn nothing, never less: 100·(20+20+30)/85 = 82.35
                Arguments.of("answers too late", facts("310107", 1, 1, 1, 1, 0, 1, 30, 0, 0), 82.35),
                // the penalty never drives a score below 0
                Arguments.of("many overdue", facts("310109", 5, 1, 0, 0, 5, 0, 0, 0, 0), 0.0),
                // a district with no eligible case (the origin of every case) scores 0: no indicator applies
                Arguments.of("no eligible case", facts("310110", 0, 0, 0, 0, 0, 0, 0, 0, 0), 0.0));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("scores")
    void scoresAsTheFormulaSays(String name, DistrictFacts f, double expected) {
        DistrictScore s = Scoring.score(DEFAULTS, f);
        assertThat(s.score()).isEqualTo(expected);
        assertThat(s.parts()).hasSize(Indicator.values().length);
        double points = s.parts().stream().mapToDouble(DistrictScore.Part::points).sum();
        assertThat(Math.max(0, Math.round((points - s.penalty()) * 100) / 100.0)).as("the breakdown adds up").isCloseTo(expected,
                org.assertj.core.data.Offset.offset(0.02));
        assertThat(s.formulaZh()).endsWith("= " + String.format(java.util.Locale.ROOT, "%.2f", expected));
    }

    @Test
    void aDistrictWithNoAssignmentsIsScoredOnTheRatesAloneAndNotPunished() {
        DistrictScore s = Scoring.score(DEFAULTS, facts("310118", 10, 10, 10, 10, 0, 0, 0, 0, 0));
        assertThat(s.score()).isEqualTo(100.0);
        assertThat(s.parts()).filteredOn(p -> p.indicator() == Indicator.TIMELINESS).singleElement()
                .satisfies(p -> {
                    assertThat(p.value()).isNull();
                    assertThat(p.points()).isZero();
                    assertThat(p.basisZh()).contains("不计");
                });
        assertThat(s.parts()).filteredOn(p -> p.indicator() == Indicator.REVIEW_PASS_RATE).singleElement()
                .satisfies(p -> assertThat(p.value()).isNull());
        assertThat(s.penalty()).isZero();
    }

    @Test
    void equalScoresShareARankAndTheNextRankSkips() {
        List<DistrictScore> ranked = Scoring.score(DEFAULTS, List.of(
                facts("310120", 10, 5, 0, 0, 0, 0, 0, 0, 0),
                facts("310101", 10, 10, 10, 10, 0, 0, 0, 0, 0),
                facts("310118", 10, 5, 0, 0, 0, 0, 0, 0, 0),
                facts("310104", 10, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertThat(ranked).extracting(DistrictScore::districtCode).containsExactly("310101", "310118", "310120", "310104");
        assertThat(ranked).extracting(DistrictScore::rank).containsExactly(1, 2, 2, 4);
    }

    @Test
    void weightsComeFromConfigurationNotCode() {
        ScoringModel onlyVerified = new ScoringModel(0, 0, 1, 0, 0, 0, 10);
        assertThat(Scoring.score(onlyVerified, facts("310101", 4, 4, 4, 1, 3, 0, 0, 0, 0)).score()).isEqualTo(25.0);
        ScoringSettings settings = new ScoringSettings();
        settings.setVerifiedLiveRate(60);
        assertThat(settings.toModel().verifiedLiveRate()).isEqualTo(60);
        assertThat(settings.toModel().adoptionCoverage()).isEqualTo(DEFAULTS.adoptionCoverage());
    }

    @Test
    void refusesNegativeOrAllZeroWeights() {
        assertThatThrownBy(() -> new ScoringModel(-1, 20, 30, 15, 15, 5, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoringModel(0, 0, 0, 0, 0, 5, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoringModel(20, 20, 30, 15, 15, 5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameFactsSameScores() {
        List<DistrictFacts> facts = List.of(facts("310101", 10, 3, 2, 1, 1, 2, 3.5, 1, 1), facts("310104", 10, 7, 1, 0, 0, 1, 1, 0, 0));
        assertThat(Scoring.score(DEFAULTS, facts)).isEqualTo(Scoring.score(DEFAULTS, List.copyOf(facts)));
    }
}
