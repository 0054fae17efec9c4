package sh.reform.rollout;

import java.util.LinkedHashMap;
import java.util.Map;

import sh.reform.shared.testing.ReportingApiFuzzing;
import sh.reform.shared.topics.Topics;

/** Fuzzing of the rollout API: only 2xx or 4xx, and nothing published for a 4xx. */
class RolloutApiFuzzTest extends ReportingApiFuzzing {

    @Override
    protected Class<?> application() {
        return MeasureRolloutServiceApplication.class;
    }

    @Override
    protected String path() {
        return "/api/v1/rollouts";
    }

    @Override
    protected String topic() {
        return Topics.MEASURE_ROLLOUT.name();
    }

    @Override
    protected Map<String, String> validFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("caseId", "\"SH-2023-05\"");
        m.put("districtCode", "\"310117\"");
        m.put("occurredAt", "\"2026-11-01T09:00:00+08:00\"");
        m.put("measureId", "\"SH-2023-05-M1\"");
        m.put("stage", "\"PILOT\"");
        m.put("coverage", "{\"covered\": 2, \"total\": 10, \"unit\": \"街镇\"}");
        m.put("serviceItemCode", "\"310117-SC-0001\"");
        m.put("effectiveDate", "\"2026-11-01\"");
        m.put("note", "\"fuzz\"");
        return m;
    }
}
