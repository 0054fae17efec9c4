package sh.reform.outcome;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import sh.reform.catalog.Catalog;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.catalog.MetricKind;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.reporting.ReportKind;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;

/**
 * An outcome report: a value of a metric for a period. A catalog metric fixes the unit (a
 * different unit is refused, so 万元 and 亿元 never mix); a metric the catalog does not list must
 * be declared with a name and a unit. Percentages lie within 0–100, counts are not negative.
 */
@Component
class OutcomeKind implements ReportKind<OutcomeReported> {

    /** YYYY, YYYY-Qn, YYYY-MM, or YYYY-MM-DD/YYYY-MM-DD. */
    static final Pattern PERIOD = Pattern.compile("\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?|\\d{4}-\\d{2}-\\d{2}/\\d{4}-\\d{2}-\\d{2}");

    @Override
    public String serviceName() {
        return "outcome-reporting-service";
    }

    @Override
    public Topic<OutcomeReported> topic() {
        return Topics.OUTCOME_REPORTING;
    }

    @Override
    public OutcomeReported read(ReportFields f, EventEnvelope env, Catalog catalog) {
        String metricId = f.text("metricId", true, 60);
        String metricName = f.text("metricName", false, 100);
        String unit = f.text("unit", false, 20);
        Double value = f.number("value", true);
        String period = f.text("period", true, 30);
        String evidence = f.text("evidenceRef", false, 500);
        if (period != null && !PERIOD.matcher(period).matches()) {
            f.error("period", "format", "统计期格式应为 2026、2026-Q3、2026-09 或 2026-09-01/2026-09-30",
                    "period must look like 2026, 2026-Q3, 2026-09 or 2026-09-01/2026-09-30");
        }
        CatalogMetric metric = metricId == null ? null : catalog.metric(env.getCaseId(), metricId).orElse(null);
        boolean percent = "%".equals(unit);
        if (metric != null) {
            if (unit != null && !unit.equals(metric.getUnit())) {
                f.error("unit", "unit-mismatch", "指标 " + metricId + " 的单位是“" + metric.getUnit() + "”，不能用“" + unit + "”报送",
                        "metric " + metricId + " is measured in '" + metric.getUnit() + "', not '" + unit + "'");
            }
            unit = metric.getUnit();
            percent = metric.getKind() == MetricKind.PERCENT || "%".equals(unit);
            if (value != null && value < 0 && (metric.getKind() == MetricKind.COUNT || metric.getKind() == MetricKind.AMOUNT)) {
                f.error("value", "range", "数量不能为负", "a count cannot be negative");
            }
        } else if (metricId != null && catalog.caseById(env.getCaseId()).isPresent()) {
            if (metricName == null || unit == null) {
                f.error("metricId", "unknown-metric", "指标“" + metricId + "”不属于案例 " + env.getCaseId() + "；自定义指标须同时填写指标名称和单位",
                        "metric '" + metricId + "' is not a metric of case " + env.getCaseId() + "; a district's own metric needs metricName and unit");
            }
        }
        if (percent && value != null && (value < 0 || value > 100)) {
            f.error("value", "range", "百分比应在 0–100 之间，收到 " + value, "a percentage must lie within 0–100, got " + value);
        }
        if (metricId == null || value == null || period == null || unit == null) {
            return null;
        }
        return OutcomeReported.newBuilder().setEnvelope(env).setMetricId(metricId)
                .setMetricName(metric != null ? null : metricName).setValue(value).setUnit(unit)
                .setPeriod(period).setEvidenceRef(evidence).build();
    }

    @Override
    public Map<String, String> columnAliases() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("事件编号", "eventId");
        m.put("案例编号", "caseId");
        m.put("区代码", "districtCode");
        m.put("发生时间", "occurredAt");
        m.put("指标编号", "metricId");
        m.put("指标名称", "metricName");
        m.put("数值", "value");
        m.put("单位", "unit");
        m.put("统计期", "period");
        m.put("佐证", "evidenceRef");
        m.put("来源", "source");
        m.put("备注", "note");
        return m;
    }
}
