package sh.reform.rollout;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import sh.reform.catalog.Catalog;
import sh.reform.schema.common.Coverage;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.RolloutStage;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.reporting.ReportKind;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;

/**
 * A rollout report: which measure of the case, the stage it reached, the coverage ("covered of
 * total unit", e.g. 4 of 30 楼宇), the 一网通办 service item code when there is one, and the date
 * the stage took effect. Coverage may come as an object or, from a spreadsheet, as three columns.
 */
@Component
class RolloutKind implements ReportKind<MeasureRolloutReported> {

    static final Pattern SERVICE_ITEM_CODE = Pattern.compile("[0-9A-Za-z_-]{4,64}");

    @Override
    public String serviceName() {
        return "measure-rollout-service";
    }

    @Override
    public Topic<MeasureRolloutReported> topic() {
        return Topics.MEASURE_ROLLOUT;
    }

    @Override
    public MeasureRolloutReported read(ReportFields f, EventEnvelope env, Catalog catalog) {
        String measureId = f.text("measureId", true, 60);
        if (measureId != null && catalog.caseById(env.getCaseId()).isPresent() && catalog.measure(env.getCaseId(), measureId).isEmpty()) {
            f.error("measureId", "unknown-measure", "举措“" + measureId + "”不属于案例 " + env.getCaseId(),
                    "measure '" + measureId + "' does not belong to case " + env.getCaseId());
        }
        RolloutStage stage = f.enumValue("stage", RolloutStage.class, true, null);
        Coverage coverage = coverage(f);
        String code = f.text("serviceItemCode", false, 64);
        if (code != null && !SERVICE_ITEM_CODE.matcher(code).matches()) {
            f.error("serviceItemCode", "format", "一网通办事项编码应为 4–64 位字母、数字或连字符", "a service item code is 4–64 letters, digits or hyphens");
        }
        LocalDate effective = f.date("effectiveDate", false);
        if (measureId == null || stage == null) {
            return null;
        }
        return MeasureRolloutReported.newBuilder().setEnvelope(env).setMeasureId(measureId).setStage(stage)
                .setCoverage(coverage).setServiceItemCode(code).setEffectiveDate(effective).build();
    }

    private static Coverage coverage(ReportFields f) {
        ReportFields c = f.object("coverage");
        Long covered;
        Long total;
        String unit;
        String prefix;
        if (c != null) {
            covered = c.wholeNumber("covered", true);
            total = c.wholeNumber("total", true);
            unit = c.text("unit", true, 20);
            prefix = "coverage.";
        } else if (f.has("coverageCovered") || f.has("coverageTotal") || f.has("coverageUnit")) {
            covered = f.wholeNumber("coverageCovered", true);
            total = f.wholeNumber("coverageTotal", true);
            unit = f.text("coverageUnit", true, 20);
            prefix = "coverage";
        } else {
            return null;
        }
        ReportFields at = c != null ? c : f;
        String coveredField = c != null ? "covered" : "coverageCovered";
        String totalField = c != null ? "total" : "coverageTotal";
        if (covered != null && covered < 0) {
            at.error(coveredField, "range", "已覆盖数不能为负", "covered cannot be negative");
        }
        if (total != null && total <= 0) {
            at.error(totalField, "range", "总数应大于 0", "total must be greater than 0");
        }
        if (covered != null && total != null && covered > total) {
            at.error(coveredField, "range", "已覆盖数（" + covered + "）不能大于总数（" + total + "）",
                    "covered (" + covered + ") cannot exceed total (" + total + ")");
        }
        if (covered == null || total == null || unit == null || covered < 0 || total <= 0 || covered > total || prefix.isEmpty()) {
            return null;
        }
        return Coverage.newBuilder().setCovered(covered).setTotal(total).setUnit(unit).build();
    }

    @Override
    public Map<String, String> columnAliases() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("事件编号", "eventId");
        m.put("案例编号", "caseId");
        m.put("区代码", "districtCode");
        m.put("发生时间", "occurredAt");
        m.put("举措编号", "measureId");
        m.put("阶段", "stage");
        m.put("已覆盖", "coverageCovered");
        m.put("总数", "coverageTotal");
        m.put("覆盖单位", "coverageUnit");
        m.put("事项编码", "serviceItemCode");
        m.put("生效日期", "effectiveDate");
        m.put("来源", "source");
        m.put("备注", "note");
        return m;
    }
}
