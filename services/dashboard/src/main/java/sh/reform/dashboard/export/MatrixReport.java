package sh.reform.dashboard.export;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import sh.reform.dashboard.api.CatalogViews.CaseEntry;
import sh.reform.dashboard.api.StatusViews.Cell;
import sh.reform.dashboard.api.StatusViews.DistrictRef;
import sh.reform.dashboard.api.StatusViews.Matrix;
import sh.reform.dashboard.api.StatusViews.Row;
import sh.reform.dashboard.export.Table.Type;

/**
 * A batch's replication matrix as tables: one row per case and district with typed columns (the sheet
 * to filter and count with), the cases × districts grid as the screen shows it, and what was exported.
 */
public final class MatrixReport {

    static final String DETAIL_SHEET = "矩阵明细";
    static final String GRID_SHEET = "矩阵";
    static final String ABOUT_SHEET = "说明";

    private MatrixReport() {
    }

    /** One row per case × district, typed. */
    public static Table detail(Matrix matrix, List<CaseEntry> catalog) {
        Map<String, CaseEntry> cases = catalog.stream().collect(Collectors.toMap(CaseEntry::caseId, Function.identity(), (a, b) -> a));
        Map<String, String> districtNames = matrix.districts().stream()
                .collect(Collectors.toMap(DistrictRef::code, DistrictRef::nameZh, (a, b) -> a));
        Table.Builder t = new Table.Builder(DETAIL_SHEET)
                .column("案例编号", Type.TEXT, 12)
                .column("排名", Type.INTEGER, 6)
                .column("案例名称", Type.TEXT, 40)
                .column("领域", Type.TEXT, 14)
                .column("首创区", Type.TEXT, 10)
                .column("区代码", Type.TEXT, 9)
                .column("区", Type.TEXT, 10)
                .column("是否首创区", Type.TEXT, 10)
                .column("阶段", Type.TEXT, 10)
                .column("红黄绿", Type.TEXT, 8)
                .column("预警规则", Type.TEXT, 26)
                .column("已上线举措", Type.INTEGER, 10)
                .column("计划举措", Type.INTEGER, 9)
                .column("进度", Type.PERCENT, 8)
                .column("事件数", Type.INTEGER, 8)
                .column("最近报送", Type.DATE_TIME, 17);
        for (Row row : matrix.cases()) {
            CaseEntry entry = cases.get(row.caseId());
            for (Cell cell : row.cells()) {
                t.row(row.caseId(), row.rank(), row.titleZh(), entry == null ? null : entry.domainNameZh(),
                        districtNames.getOrDefault(row.originDistrict(), row.originDistrict()),
                        cell.districtCode(), districtNames.getOrDefault(cell.districtCode(), cell.districtNameZh()),
                        Labels.yesNo(cell.origin()),
                        cell.origin() ? Labels.stage("ORIGIN") : Labels.stage(cell.stage()),
                        cell.origin() ? null : Labels.health(cell.health()),
                        cell.origin() ? null : Labels.rules(cell.healthRules()),
                        cell.measuresLive(), cell.measuresPlanned(), cell.progress(), cell.eventCount(),
                        cell.lastReportAt());
            }
        }
        return t.build();
    }

    /** Cases × districts, each cell the stage as the matrix page shows it. */
    public static Table grid(Matrix matrix) {
        Table.Builder t = new Table.Builder(GRID_SHEET)
                .column("排名", Type.INTEGER, 6)
                .column("案例编号", Type.TEXT, 12)
                .column("案例名称", Type.TEXT, 40);
        for (DistrictRef d : matrix.districts()) {
            t.column(d.nameZh(), Type.TEXT, 9);
        }
        t.column("已复制区数", Type.INTEGER, 10);
        for (Row row : matrix.cases()) {
            Object[] values = new Object[3 + matrix.districts().size() + 1];
            values[0] = row.rank();
            values[1] = row.caseId();
            values[2] = row.titleZh();
            Map<String, Cell> byDistrict = row.cells().stream().collect(Collectors.toMap(Cell::districtCode, c -> c, (a, b) -> a));
            int adopted = 0;
            for (int i = 0; i < matrix.districts().size(); i++) {
                Cell cell = byDistrict.get(matrix.districts().get(i).code());
                values[3 + i] = cell == null ? null : cell.origin() ? Labels.stage("ORIGIN") : Labels.stage(cell.stage());
                if (cell != null && !cell.origin() && adopting(cell.stage())) {
                    adopted++;
                }
            }
            values[values.length - 1] = adopted;
            t.row(values);
        }
        return t.build();
    }

    static Table about(Matrix matrix, OffsetDateTime exportedAt) {
        return new Table.Builder(ABOUT_SHEET)
                .column("项目", Type.TEXT, 14)
                .column("内容", Type.TEXT, 60)
                .row("批次", matrix.batchId())
                .row("状态时点", matrix.asOf() == null ? "实时" : matrix.asOf().toString())
                .row("导出时间", exportedAt.withNano(0).toString())
                .row("案例数", String.valueOf(matrix.cases().size()))
                .row("区数", String.valueOf(matrix.districts().size()))
                .build();
    }

    public static List<Table> tables(Matrix matrix, List<CaseEntry> catalog, OffsetDateTime exportedAt) {
        return List.of(detail(matrix, catalog), grid(matrix), about(matrix, exportedAt));
    }

    /** Adopted as the status service's rollups count it: adopted and not withdrawn (paused included). */
    static boolean adopting(String stage) {
        return switch (stage == null ? "" : stage) {
            case "ADOPTED", "ROLLING_OUT", "LIVE", "EVALUATED", "PAUSED" -> true;
            default -> false;
        };
    }
}
