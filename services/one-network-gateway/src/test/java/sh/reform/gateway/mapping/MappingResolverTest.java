package sh.reform.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import sh.reform.gateway.mapping.Mapping.MeasureTarget;
import sh.reform.gateway.mapping.Mapping.MetricTarget;
import sh.reform.gateway.reporting.Report;
import sh.reform.gateway.reporting.ReportingService;
import tools.jackson.databind.json.JsonMapper;

class MappingResolverTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static PendingReport figure(String district, String name) {
        return new PendingReport(MappingKind.SERVICE_FIGURE, name, district, "ONE_NETWORK_SERVICES", "ONE_NETWORK_SERVICES|m1|" + district + "|" + name,
                JSON.createObjectNode().put("value", 60.0).put("period", "2026-10"), district + " " + name);
    }

    static MappingResolver.Mappings of(Mapping... ms) {
        return (kind, key) -> java.util.Arrays.stream(ms).filter(m -> m.kind() == kind && m.key().equals(key)).findFirst();
    }

    @Test
    void aFigureMappedForAllDistrictsAndOneMoreForBaoshanGivesBaoshanTwoReports() {
        Mapping m = new Mapping(MappingKind.SERVICE_FIGURE, "网办率", 2, "city", Instant.EPOCH, null, null, List.of(
                new MetricTarget("*", "SH-2023-15", "SH-2023-15-K10", null, null),
                new MetricTarget("310113", "SH-2023-13", "BS-WBL", "网办率", "%")));
        MappingResolver.Resolution r = MappingResolver.resolve(List.of(figure("310113", "网办率"), figure("310116", "网办率")), of(m));
        assertThat(r.unmapped()).isEmpty();
        assertThat(r.reports()).extracting(x -> x.body().path("districtCode").asString() + " " + x.body().path("metricId").asString())
                .containsExactly("310113 SH-2023-15-K10", "310113 BS-WBL", "310116 SH-2023-15-K10");
        Report own = r.reports().get(1);
        assertThat(own.service()).isEqualTo(ReportingService.OUTCOME);
        assertThat(own.body().path("metricName").asString()).isEqualTo("网办率");
        assertThat(own.body().path("unit").asString()).isEqualTo("%");
        assertThat(r.reports().get(0).body().has("unit")).isFalse();
    }

    @Test
    void theSameMessageAlwaysGivesTheSameEventIdsAndDifferentTargetsDifferentOnes() {
        Mapping m = new Mapping(MappingKind.SERVICE_FIGURE, "网办率", 1, "city", Instant.EPOCH, null, null, List.of(
                new MetricTarget("*", "SH-2023-15", "SH-2023-15-K10", null, null), new MetricTarget("*", "SH-2023-13", "X", "网办率", "%")));
        var first = MappingResolver.resolve(List.of(figure("310113", "网办率")), of(m)).reports();
        var again = MappingResolver.resolve(List.of(figure("310113", "网办率")), of(m)).reports();
        assertThat(first).extracting(Report::eventId).isEqualTo(again.stream().map(Report::eventId).toList()).doesNotHaveDuplicates();
    }

    @Test
    void anItemWithoutMappingAndAFigureWithoutADistrictRuleStayUnmapped() {
        Mapping onlyJinshan = new Mapping(MappingKind.SERVICE_FIGURE, "办件量", 1, "city", Instant.EPOCH, null, null, List.of(
                new MetricTarget("310116", "SH-2023-15", "JS-BJL", "办件量", "件")));
        PendingReport item = new PendingReport(MappingKind.SERVICE_ITEM, "310113-KD-0001", "310113", "ONE_NETWORK_SERVICES", "s|m",
                JSON.createObjectNode().put("stage", "LIVE"), "item");
        var r = MappingResolver.resolve(List.of(item, figure("310113", "办件量")), of(onlyJinshan));
        assertThat(r.reports()).isEmpty();
        assertThat(r.unmapped()).hasSize(2);
    }

    @Test
    void aServiceItemBecomesARolloutOfItsMeasureWithTheMessageFields() {
        Mapping m = new Mapping(MappingKind.SERVICE_ITEM, "310113-KD-0001", 1, "city", Instant.EPOCH, null,
                new MeasureTarget("SH-2023-13", "SH-2023-13-M2"), List.of());
        PendingReport item = new PendingReport(MappingKind.SERVICE_ITEM, "310113-KD-0001", "310113", "ONE_NETWORK_SERVICES",
                "ONE_NETWORK_SERVICES|m-9", JSON.createObjectNode().put("stage", "LIVE").put("serviceItemCode", "310113-KD-0001"), "item");
        Report r = MappingResolver.resolve(List.of(item), of(m)).reports().get(0);
        assertThat(r.service()).isEqualTo(ReportingService.ROLLOUT);
        assertThat(r.body().path("measureId").asString()).isEqualTo("SH-2023-13-M2");
        assertThat(r.body().path("stage").asString()).isEqualTo("LIVE");
        assertThat(r.eventId()).isEqualTo(java.util.UUID.nameUUIDFromBytes("ONE_NETWORK_SERVICES|m-9".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        assertThat(Optional.of(r.body().path("source").asString())).contains("ONE_NETWORK_SERVICES");
    }
}
