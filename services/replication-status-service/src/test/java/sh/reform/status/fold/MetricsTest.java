package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static sh.reform.schema.events.AdoptionDecision.ADOPTED;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;
import static sh.reform.status.fold.Reports.K1;
import static sh.reform.status.fold.Reports.K2;
import static sh.reform.status.fold.Reports.adoption;
import static sh.reform.status.fold.Reports.at;
import static sh.reform.status.fold.Reports.events;
import static sh.reform.status.fold.Reports.outcome;

import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.status.MetricStatus;

class MetricsTest {

    private static final String OWN_METRIC = "310116-OWN-1";

    private final StatusFold fold = Reports.fold();

    static Stream<Arguments> metrics() {
        return Stream.of(
                Arguments.of("oneValueShowsBesideTheFirstReferenceFigure",
                        events(outcome("o1", "2024-02-05", K1, "2024-01", 20.0)),
                        List.of(tuple(K1, "2024-01", 20.0, 60.0, "o1"))),
                Arguments.of("laterReportForThePeriodReplacesTheValue",
                        events(outcome("o1", "2024-02-05", K1, "2024-01", 20.0), outcome("o2", "2024-02-20", K1, "2024-01", 25.0)),
                        List.of(tuple(K1, "2024-01", 25.0, 60.0, "o2"))),
                Arguments.of("lateArrivingOlderReportDoesNotReplaceTheValue",
                        events(outcome("o2", "2024-02-20", K1, "2024-01", 25.0), outcome("o1", "2024-02-05", K1, "2024-01", 20.0)),
                        List.of(tuple(K1, "2024-01", 25.0, 60.0, "o2"))),
                Arguments.of("eachPeriodKeepsItsOwnValue",
                        events(outcome("o1", "2024-02-05", K1, "2024-01", 20.0), outcome("o2", "2024-03-05", K1, "2024-02", 30.0)),
                        List.of(tuple(K1, "2024-01", 20.0, 60.0, "o1"), tuple(K1, "2024-02", 30.0, 60.0, "o2"))),
                Arguments.of("metricWithoutReferenceFigureShowsNone",
                        events(outcome("o1", "2024-04-05", K2, "2024-Q1", 100)),
                        List.of(tuple(K2, "2024-Q1", 100.0, null, "o1"))),
                Arguments.of("metricOutsideTheCatalogShowsNoReference",
                        events(outcome("o1", "2024-04-05", OWN_METRIC, "2024", 7)),
                        List.of(tuple(OWN_METRIC, "2024", 7.0, null, "o1"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metrics")
    void latestValuePerMetricAndPeriodWithReference(String behaviour, List<SpecificRecord> outcomes, List<Tuple> expected) {
        List<SpecificRecord> events = new java.util.ArrayList<>(outcomes);
        events.add(0, adoption("a1", "2024-01-10", ADOPTED));

        List<MetricStatus> metrics = fold.foldAll(CASE, DISTRICT, events, at("2024-06-01")).toStatus().getMetrics();

        assertThat(metrics)
                .extracting(MetricStatus::getMetricId, MetricStatus::getPeriod, MetricStatus::getValue,
                        MetricStatus::getReferenceValue, MetricStatus::getEventId)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void metricCarriesUnitAndOccurredAtOfItsReport() {
        MetricStatus metric = fold.foldAll(CASE, DISTRICT,
                events(adoption("a1", "2024-01-10", ADOPTED), outcome("o1", "2024-04-05", K2, "2024-Q1", 100)),
                at("2024-06-01")).toStatus().getMetrics().get(0);

        assertThat(metric.getUnit()).isEqualTo("家");
        assertThat(metric.getReportedAt()).isEqualTo(at("2024-04-05"));
    }
}
