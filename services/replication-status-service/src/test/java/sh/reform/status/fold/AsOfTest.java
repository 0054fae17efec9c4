package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;
import static sh.reform.status.fold.Reports.at;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.status.Health;
import sh.reform.schema.status.OverallStage;

class AsOfTest {

    private final StatusFold fold = Reports.fold();

    static Stream<Arguments> cuts() {
        return Stream.of(
                Arguments.of("2024-01-01", OverallStage.NOT_STARTED, 0, Health.UNKNOWN),
                Arguments.of("2024-01-07", OverallStage.ROLLING_OUT, 1, Health.GREEN),
                Arguments.of("2024-01-20", OverallStage.ROLLING_OUT, 3, Health.GREEN),
                Arguments.of("2024-03-01T09:00", OverallStage.ROLLING_OUT, 6, Health.GREEN),
                Arguments.of("2024-04-15", OverallStage.PAUSED, 8, Health.YELLOW),
                Arguments.of("2024-06-01", OverallStage.LIVE, 10, Health.GREEN),
                Arguments.of("2024-07-01", OverallStage.EVALUATED, 12, Health.GREEN),
                Arguments.of("2024-12-31", OverallStage.EVALUATED, 15, Health.YELLOW));
    }

    @ParameterizedTest(name = "as of {0}: {1}")
    @MethodSource("cuts")
    void asOfEqualsTheFoldOfTheEventsUpToThatTime(String cut, OverallStage stage, int events, Health health) {
        Instant asOf = at(cut);
        CellState whole = fold.foldAll(CASE, DISTRICT, OrderAndDuplicatesTest.lifeOfACell(), at("2025-01-01"));
        List<SpecificRecord> prefix = OrderAndDuplicatesTest.lifeOfACell().stream()
                .filter(e -> !CellState.envelopeOf(e).getOccurredAt().isAfter(asOf))
                .toList();

        CellState past = fold.asOf(whole, asOf);

        assertThat(past).isEqualTo(fold.foldAll(CASE, DISTRICT, prefix, asOf));
        assertThat(past.toStatus().getOverallStage()).isEqualTo(stage);
        assertThat(past.toStatus().getEventCount()).isEqualTo(events);
        assertThat(past.toStatus().getHealth()).isEqualTo(health);
        assertThat(past.toStatus().getEvaluatedAt()).isEqualTo(asOf);
    }
}
