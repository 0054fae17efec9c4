package sh.reform.status.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import sh.reform.catalog.Jurisdiction;
import sh.reform.catalog.Jurisdiction.Level;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.common.Coverage;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;

class RollupsTest {

    static final Jurisdiction A = district("310101", "黄浦区");
    static final Jurisdiction B = district("310104", "徐汇区");
    static final Jurisdiction C = district("310105", "长宁区");
    static final List<Jurisdiction> DISTRICTS = List.of(A, B, C);
    static final CatalogCase FROM_A = catalogCase("X-1", 1, A.code());
    static final CatalogCase FROM_B = catalogCase("X-2", 2, B.code());

    @Test
    void theOriginDistrictIsNotEligibleAndIntentionsAreNotAdoptions() {
        Map<String, ReplicationStatus> cells = new HashMap<>();
        put(cells, FROM_A, A, OverallStage.LIVE, Health.GREEN); // the origin's own cell counts nowhere
        put(cells, FROM_A, B, OverallStage.PLANNED, Health.GREEN);
        put(cells, FROM_A, C, OverallStage.PAUSED, Health.YELLOW);

        CaseRollup rollup = Rollups.ofCase(FROM_A, DISTRICTS, cells);

        assertThat(rollup.eligible()).isEqualTo(2);
        assertThat(rollup.adopting()).isEqualTo(1);
        assertThat(rollup.live()).isZero();
        assertThat(rollup.adoptionRate()).isEqualTo(0.5);
    }

    @Test
    void averageCoverageCountsPlannedMeasuresOfAdoptingDistrictsThatReportOne() {
        Map<String, ReplicationStatus> cells = new HashMap<>();
        ReplicationStatus b = put(cells, FROM_A, B, OverallStage.ROLLING_OUT, Health.GREEN);
        b.setMeasures(List.of(measure("M1", true, 4, 30), measure("M2", true, 13, 13), measure("M3", false, 0, 10)));
        b.setMeasuresPlanned(2);
        b.setMeasuresLive(1);
        put(cells, FROM_A, C, OverallStage.ADOPTED, Health.GREEN).setMeasuresPlanned(2);

        CaseRollup rollup = Rollups.ofCase(FROM_A, DISTRICTS, cells);

        assertThat(rollup.averageCoverage()).isEqualTo(Rollups.round((4 / 30.0 + 1.0) / 2));
        assertThat(rollup.averageProgress()).isEqualTo(0.25);
    }

    @Test
    void districtsAreRankedByLiveRateThenAdoptionRateThenFewerRedAndEqualsShareARank() {
        Map<String, ReplicationStatus> cells = new HashMap<>();
        put(cells, FROM_A, B, OverallStage.LIVE, Health.GREEN);
        put(cells, FROM_B, A, OverallStage.LIVE, Health.GREEN);
        put(cells, FROM_A, C, OverallStage.ROLLING_OUT, Health.RED);
        put(cells, FROM_B, C, OverallStage.NOT_STARTED, Health.UNKNOWN);

        RollupsView view = Rollups.of("X", null, List.of(FROM_A, FROM_B), DISTRICTS, cells);

        assertThat(view.ranking()).extracting(DistrictRollup::districtCode, DistrictRollup::rank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A.code(), 1), org.assertj.core.groups.Tuple.tuple(B.code(), 1),
                        org.assertj.core.groups.Tuple.tuple(C.code(), 3));
        DistrictRollup c = view.ranking().get(2);
        assertThat(c.eligible()).isEqualTo(2);
        assertThat(c.adopted()).isEqualTo(1);
        assertThat(c.red()).isEqualTo(1);
        assertThat(view.cityWide().eligibleCells()).isEqualTo(4);
        assertThat(view.cityWide().adoptedCells()).isEqualTo(3);
        assertThat(view.cityWide().liveCells()).isEqualTo(2);
        assertThat(view.cityWide().replicationRate()).isEqualTo(0.75);
    }

    private static ReplicationStatus put(Map<String, ReplicationStatus> cells, CatalogCase c, Jurisdiction d,
                                         OverallStage stage, Health health) {
        ReplicationStatus s = ReplicationStatus.newBuilder().setCaseId(c.getCaseId()).setDistrictCode(d.code())
                .setOverallStage(stage).setHealth(health).build();
        cells.put(Topic.cellKey(c.getCaseId(), d.code()), s);
        return s;
    }

    private static MeasureStatus measure(String id, boolean planned, long covered, long total) {
        return MeasureStatus.newBuilder().setMeasureId(id).setPlanned(planned)
                .setCoverage(Coverage.newBuilder().setCovered(covered).setTotal(total).setUnit("街镇").build()).build();
    }

    private static CatalogCase catalogCase(String id, int rank, String origin) {
        return CatalogCase.newBuilder().setCaseId(id).setBatchId("X").setYear(2023).setRank(rank)
                .setOriginDistrict(origin).setTitleZh("案例" + rank).setDomain("REGULATION").build();
    }

    private static Jurisdiction district(String code, String name) {
        return new Jurisdiction(code, Level.DISTRICT, name, name, "310000");
    }
}
