package sh.reform.dashboard.export;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import sh.reform.dashboard.api.CatalogViews.CaseEntry;
import sh.reform.dashboard.api.CatalogViews.Measure;
import sh.reform.dashboard.api.CatalogViews.Metric;
import sh.reform.dashboard.api.CatalogViews.Reference;
import sh.reform.dashboard.api.StatusViews.CaseRollup;
import sh.reform.dashboard.api.StatusViews.CaseStatus;
import sh.reform.dashboard.api.StatusViews.Cell;
import sh.reform.dashboard.api.StatusViews.CellDetail;
import sh.reform.dashboard.api.StatusViews.DistrictRef;
import sh.reform.dashboard.api.StatusViews.HealthView;
import sh.reform.dashboard.api.StatusViews.Matrix;
import sh.reform.dashboard.api.StatusViews.MeasureView;
import sh.reform.dashboard.api.StatusViews.MetricView;
import sh.reform.dashboard.api.StatusViews.Row;
import sh.reform.dashboard.api.StatusViews.TransitionView;

/** A small batch as the status and catalog APIs would answer it: two cases × three districts. */
final class ExportFixtures {

    static final OffsetDateTime REPORTED = OffsetDateTime.parse("2026-11-20T10:30:00+08:00");
    static final List<DistrictRef> DISTRICTS = List.of(new DistrictRef("310101", "黄浦区", "Huangpu"),
            new DistrictRef("310104", "徐汇区", "Xuhui"), new DistrictRef("310116", "金山区", "Jinshan"));

    private ExportFixtures() {
    }

    static Matrix matrix() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("SH-2023-01", 1, "精耕企业合规“实验田”", "310116", List.of(
                cell("SH-2023-01", "310101", false, "LIVE", "GREEN", 3, 3, 1.0, 5, REPORTED),
                cell("SH-2023-01", "310104", false, "ADOPTED", "RED", 0, 3, 0.0, 1, REPORTED.minusDays(3)),
                cell("SH-2023-01", "310116", true, "NOT_STARTED", "UNKNOWN", 0, 0, null, 0, null))));
        rows.add(new Row("SH-2023-02", 2, "浦东新区CCC免办制度改革创新", "310101", List.of(
                cell("SH-2023-02", "310101", true, "NOT_STARTED", "UNKNOWN", 0, 0, null, 0, null),
                cell("SH-2023-02", "310104", false, "NOT_STARTED", "UNKNOWN", 0, 0, null, 0, null),
                cell("SH-2023-02", "310116", false, "PAUSED", "YELLOW", 1, 4, 0.25, 2, REPORTED))));
        return new Matrix("SH-2023", null, DISTRICTS, rows);
    }

    static Cell cell(String caseId, String district, boolean origin, String stage, String health, int live, int planned,
                     Double progress, long events, OffsetDateTime last) {
        String name = DISTRICTS.stream().filter(d -> d.code().equals(district)).findFirst().orElseThrow().nameZh();
        return new Cell(caseId, "案例", district, name, origin, stage, health,
                "RED".equals(health) ? List.of("target-passed-not-live") : List.of(), live, planned, progress, events, last);
    }

    static List<CaseEntry> catalog() {
        return List.of(caseEntry(), new CaseEntry("SH-2023-02", "SH-2023", 2023, 2, "310101", "黄浦区", null,
                "浦东新区CCC免办制度改革创新", "CCC exemption", "MARKET_ACCESS", "市场准入", "摘要", List.of(), List.of(), "ACTIVE"));
    }

    static CaseEntry caseEntry() {
        return new CaseEntry("SH-2023-01", "SH-2023", 2023, 1, "310116", "金山区", "金山区人民检察院",
                "精耕企业合规“实验田”", "Corporate compliance", "LEGAL_PROTECTION", "法治保障", "金山区人民检察院……",
                List.of(new Measure("M1", "繁简分流合规程序", "Simple/full track"), new Measure("M2", "第三方监督评估机制", "Third party")),
                List.of(new Metric("K2", "帮助合规整改企业数", "Firms helped", "家", "COUNT", List.of(new Reference(26, "EXACT", null)))),
                "ACTIVE");
    }

    static CaseStatus caseStatus() {
        Matrix m = matrix();
        return new CaseStatus("SH-2023-01", "SH-2023", 1, "精耕企业合规“实验田”", "Corporate compliance", "310116", "金山区",
                null, m.cases().get(0).cells(), new CaseRollup(15, 2, 1, 1, 2 / 15.0, null, 0.5));
    }

    /** Adopted, nothing reported on its measures yet: planned measures without a stage. */
    static CellDetail xuhuiDetail() {
        return new CellDetail("SH-2023-01", "310104", "徐汇区", false, "ADOPTED", null, null, "ADOPTED",
                new HealthView("RED", List.of("target-passed-not-live"), "目标日期已过", "Target passed"),
                List.of(new MeasureView("M1", "繁简分流合规程序", true, null, null, null, null, null, null, null)),
                List.of(), List.of(new TransitionView(REPORTED.minusDays(3), "e3", "case", "NOT_STARTED", "ADOPTED")),
                1, REPORTED.minusDays(3));
    }

    static CellDetail huangpuDetail() {
        return new CellDetail("SH-2023-01", "310101", "黄浦区", false, "ADOPTED", "黄浦区司法局", LocalDate.of(2027, 6, 30), "LIVE",
                new HealthView("GREEN", List.of("on-track"), "按计划推进", "On track"),
                List.of(new MeasureView("M1", "繁简分流合规程序", true, "LIVE", 10L, 10L, "街镇", "SVC-0001", LocalDate.of(2026, 11, 1), REPORTED),
                        new MeasureView("M2", "第三方监督评估机制", true, "PILOT", 2L, 10L, "街镇", null, null, REPORTED)),
                List.of(new MetricView("K2", "帮助合规整改企业数", "2026-10", 31.5, "家", 26.0, REPORTED)),
                List.of(new TransitionView(REPORTED.minusDays(10), "e1", "case", "NOT_STARTED", "ADOPTED"),
                        new TransitionView(REPORTED, "e2", "M1", null, "LIVE")),
                5, REPORTED);
    }
}
