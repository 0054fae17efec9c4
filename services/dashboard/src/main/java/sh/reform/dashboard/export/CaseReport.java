package sh.reform.dashboard.export;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import sh.reform.dashboard.api.CatalogViews.CaseEntry;
import sh.reform.dashboard.api.CatalogViews.Measure;
import sh.reform.dashboard.api.CatalogViews.Metric;
import sh.reform.dashboard.api.StatusViews.CaseStatus;
import sh.reform.dashboard.api.StatusViews.Cell;
import sh.reform.dashboard.api.StatusViews.CellDetail;
import sh.reform.dashboard.api.StatusViews.MeasureView;
import sh.reform.dashboard.api.StatusViews.MetricView;
import sh.reform.dashboard.api.StatusViews.TransitionView;
import sh.reform.dashboard.export.Table.Type;

/**
 * One case's report as tables: the case and its figures, every district's status, each measure with the
 * districts where it is live, the outcomes reported beside the origin's reference value, and the
 * timeline of stage changes.
 *
 * @param details the full status of each district that reported anything, by district code
 */
public record CaseReport(CaseEntry entry, CaseStatus status, Map<String, CellDetail> details) {

    static final String SUMMARY_SHEET = "案例概况";
    static final String DISTRICTS_SHEET = "各区状态";
    static final String MEASURES_SHEET = "举措";
    static final String OUTCOMES_SHEET = "成效";
    static final String TIMELINE_SHEET = "时间线";

    public List<Table> tables() {
        return List.of(summary(), districts(), measures(), outcomes(), timeline());
    }

    Table summary() {
        var rollup = status.rollup();
        return new Table.Builder(SUMMARY_SHEET)
                .column("案例编号", Type.TEXT, 12)
                .column("批次", Type.TEXT, 10)
                .column("排名", Type.INTEGER, 6)
                .column("案例名称", Type.TEXT, 40)
                .column("首创区", Type.TEXT, 10)
                .column("牵头单位", Type.TEXT, 24)
                .column("领域", Type.TEXT, 14)
                .column("举措数", Type.INTEGER, 8)
                .column("指标数", Type.INTEGER, 8)
                .column("可复制区数", Type.INTEGER, 10)
                .column("已复制区数", Type.INTEGER, 10)
                .column("已上线区数", Type.INTEGER, 10)
                .column("红灯区数", Type.INTEGER, 9)
                .column("复制推广率", Type.PERCENT, 10)
                .column("状态时点", Type.DATE_TIME, 17)
                .column("摘要", Type.TEXT, 80)
                .row(entry.caseId(), entry.batchId(), entry.rank(), entry.titleZh(), entry.originDistrictNameZh(),
                        entry.leadAgency(), entry.domainNameZh(), size(entry.measures()), size(entry.metrics()),
                        rollup == null ? null : rollup.eligible(), rollup == null ? null : rollup.adopting(),
                        rollup == null ? null : rollup.live(), rollup == null ? null : rollup.red(),
                        rollup == null ? null : rollup.adoptionRate(), status.asOf(), entry.summaryZh())
                .build();
    }

    Table districts() {
        Table.Builder t = new Table.Builder(DISTRICTS_SHEET)
                .column("区代码", Type.TEXT, 9)
                .column("区", Type.TEXT, 10)
                .column("是否首创区", Type.TEXT, 10)
                .column("决定", Type.TEXT, 9)
                .column("牵头单位", Type.TEXT, 22)
                .column("目标日期", Type.DATE, 12)
                .column("阶段", Type.TEXT, 10)
                .column("红黄绿", Type.TEXT, 8)
                .column("预警原因", Type.TEXT, 40)
                .column("已上线举措", Type.INTEGER, 10)
                .column("计划举措", Type.INTEGER, 9)
                .column("进度", Type.PERCENT, 8)
                .column("事件数", Type.INTEGER, 8)
                .column("最近报送", Type.DATE_TIME, 17);
        for (Cell cell : status.districts()) {
            CellDetail d = details.get(cell.districtCode());
            String reason = d == null || d.health() == null ? Labels.rules(cell.healthRules()) : d.health().reasonZh();
            t.row(cell.districtCode(), cell.districtNameZh(), Labels.yesNo(cell.origin()),
                    d == null ? null : Labels.decision(d.decision()), d == null ? null : d.leadAgency(),
                    d == null ? null : d.targetDate(),
                    cell.origin() ? Labels.stage("ORIGIN") : Labels.stage(cell.stage()),
                    cell.origin() ? null : Labels.health(cell.health()), cell.origin() ? null : reason,
                    cell.measuresLive(), cell.measuresPlanned(), cell.progress(), cell.eventCount(), cell.lastReportAt());
        }
        return t.build();
    }

    Table measures() {
        Table.Builder t = new Table.Builder(MEASURES_SHEET)
                .column("举措编号", Type.TEXT, 16)
                .column("举措名称", Type.TEXT, 36)
                .column("已上线区数", Type.INTEGER, 10)
                .column("已上线的区", Type.TEXT, 40)
                .column("试点中的区", Type.TEXT, 30)
                .column("计划中的区", Type.TEXT, 30);
        for (Measure m : entry.measures() == null ? List.<Measure>of() : entry.measures()) {
            List<String> live = districtsAt(m.measureId(), "LIVE", "SCALED");
            t.row(m.measureId(), m.nameZh(), live.size(), String.join("、", live),
                    String.join("、", districtsAt(m.measureId(), "PILOT")),
                    String.join("、", districtsAt(m.measureId(), "PLANNED")));
        }
        return t.build();
    }

    private List<String> districtsAt(String measureId, String... stages) {
        List<String> names = new ArrayList<>();
        for (Cell cell : status.districts()) {
            CellDetail d = details.get(cell.districtCode());
            if (d == null || d.measures() == null) {
                continue;
            }
            for (MeasureView m : d.measures()) { // a planned measure nobody reported on has no stage yet
                if (m.measureId().equals(measureId) && m.stage() != null && List.of(stages).contains(m.stage())) {
                    names.add(cell.districtNameZh());
                }
            }
        }
        return names;
    }

    Table outcomes() {
        Map<String, Metric> metrics = entry.metrics() == null ? Map.of()
                : entry.metrics().stream().collect(Collectors.toMap(Metric::metricId, m -> m, (a, b) -> a));
        Table.Builder t = new Table.Builder(OUTCOMES_SHEET)
                .column("区", Type.TEXT, 10)
                .column("指标编号", Type.TEXT, 16)
                .column("指标名称", Type.TEXT, 30)
                .column("统计期", Type.TEXT, 10)
                .column("数值", Type.DECIMAL, 12)
                .column("单位", Type.TEXT, 8)
                .column("首创区参考值", Type.DECIMAL, 12)
                .column("上报时间", Type.DATE_TIME, 17);
        for (Cell cell : status.districts()) {
            CellDetail d = details.get(cell.districtCode());
            if (d == null || d.metrics() == null) {
                continue;
            }
            for (MetricView m : d.metrics()) {
                Metric catalogMetric = metrics.get(m.metricId());
                Double reference = m.referenceValue() != null ? m.referenceValue()
                        : catalogMetric == null ? null : catalogMetric.referenceValue();
                t.row(cell.districtNameZh(), m.metricId(), m.nameZh() != null ? m.nameZh()
                                : catalogMetric == null ? null : catalogMetric.nameZh(),
                        m.period(), m.value(), m.unit(), reference, m.reportedAt());
            }
        }
        return t.build();
    }

    Table timeline() {
        record Step(TransitionView t, String district) {
        }
        Map<String, String> measureNames = entry.measures() == null ? Map.of()
                : entry.measures().stream().collect(Collectors.toMap(Measure::measureId, Measure::nameZh, (a, b) -> a));
        List<Step> steps = new ArrayList<>();
        for (Cell cell : status.districts()) {
            CellDetail d = details.get(cell.districtCode());
            if (d != null && d.history() != null) {
                d.history().forEach(h -> steps.add(new Step(h, cell.districtNameZh())));
            }
        }
        steps.sort(Comparator.comparing((Step s) -> s.t().at(), Comparator.nullsLast(Comparator.naturalOrder())));
        Table.Builder t = new Table.Builder(TIMELINE_SHEET)
                .column("时间", Type.DATE_TIME, 17)
                .column("区", Type.TEXT, 10)
                .column("对象", Type.TEXT, 30)
                .column("从", Type.TEXT, 10)
                .column("到", Type.TEXT, 10)
                .column("事件编号", Type.TEXT, 38);
        for (Step s : steps) {
            boolean wholeCase = "case".equals(s.t().subject());
            String subject = wholeCase ? "案例整体" : measureNames.getOrDefault(s.t().subject(), s.t().subject());
            t.row(s.t().at(), s.district(), subject,
                    wholeCase ? Labels.stage(s.t().from()) : Labels.rollout(s.t().from()),
                    wholeCase ? Labels.stage(s.t().to()) : Labels.rollout(s.t().to()), s.t().eventId());
        }
        return t.build();
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    public CaseReport {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(status, "status");
        details = Map.copyOf(details);
    }
}
