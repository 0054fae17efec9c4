package sh.reform.adoption;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import sh.reform.catalog.Catalog;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.reporting.ReportKind;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;

/**
 * An adoption report: the decision (INTENDS, ADOPTED, PAUSED, WITHDRAWN), the lead agency, the
 * target date and the measures planned (all of the case's when none are named). The origin
 * district does not adopt its own case.
 */
@Component
class AdoptionKind implements ReportKind<CaseAdoptionReported> {

    static final LocalDate EARLIEST_TARGET = LocalDate.of(2019, 1, 1);

    @Override
    public String serviceName() {
        return "case-adoption-service";
    }

    @Override
    public Topic<CaseAdoptionReported> topic() {
        return Topics.CASE_ADOPTION;
    }

    @Override
    public CaseAdoptionReported read(ReportFields f, EventEnvelope env, Catalog catalog) {
        AdoptionDecision decision = f.enumValue("decision", AdoptionDecision.class, true, null);
        String leadAgency = f.text("leadAgency", false, 100);
        LocalDate target = f.date("targetDate", false);
        if (target != null && target.isBefore(EARLIEST_TARGET)) {
            f.error("targetDate", "too-early", "目标日期早于 2019 年", "target date is before 2019");
        }
        List<String> planned = f.textList("plannedMeasureIds");
        var c = catalog.caseById(env.getCaseId());
        if (c.isPresent()) {
            if (c.get().getOriginDistrict().equals(env.getDistrictCode())) {
                f.error("districtCode", "origin-district", "该区是此案例的首创区，无需报送复制",
                        "this district is the case's origin; it does not replicate its own case");
            }
            List<String> unknown = new ArrayList<>();
            for (String m : planned) {
                if (catalog.measure(env.getCaseId(), m).isEmpty()) {
                    unknown.add(m);
                }
            }
            if (!unknown.isEmpty()) {
                f.error("plannedMeasureIds", "unknown-measure", "举措 " + unknown + " 不属于案例 " + env.getCaseId(),
                        "measures " + unknown + " do not belong to case " + env.getCaseId());
            }
        }
        if (decision == null) {
            return null;
        }
        return CaseAdoptionReported.newBuilder().setEnvelope(env).setDecision(decision).setLeadAgency(leadAgency)
                .setTargetDate(target).setPlannedMeasureIds(planned).build();
    }

    @Override
    public Map<String, String> columnAliases() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("事件编号", "eventId");
        m.put("案例编号", "caseId");
        m.put("区代码", "districtCode");
        m.put("发生时间", "occurredAt");
        m.put("决定", "decision");
        m.put("牵头单位", "leadAgency");
        m.put("目标日期", "targetDate");
        m.put("计划举措", "plannedMeasureIds");
        m.put("来源", "source");
        m.put("备注", "note");
        return m;
    }
}
