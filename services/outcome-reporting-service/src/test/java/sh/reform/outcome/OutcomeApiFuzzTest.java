package sh.reform.outcome;

import java.util.LinkedHashMap;
import java.util.Map;

import sh.reform.shared.testing.ReportingApiFuzzing;
import sh.reform.shared.topics.Topics;

/** Fuzzing of the outcome API: only 2xx or 4xx, and nothing published for a 4xx. */
class OutcomeApiFuzzTest extends ReportingApiFuzzing {

    @Override
    protected Class<?> application() {
        return OutcomeReportingServiceApplication.class;
    }

    @Override
    protected String path() {
        return "/api/v1/outcomes";
    }

    @Override
    protected String topic() {
        return Topics.OUTCOME_REPORTING.name();
    }

    @Override
    protected Map<String, String> validFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("caseId", "\"SH-2023-02\"");
        m.put("districtCode", "\"310117\"");
        m.put("occurredAt", "\"2026-11-01T09:00:00+08:00\"");
        m.put("metricId", "\"SH-2023-02-K5\"");
        m.put("value", "12.5");
        m.put("unit", "\"%\"");
        m.put("period", "\"2026-10\"");
        m.put("evidenceRef", "\"松发改〔2026〕1号\"");
        m.put("note", "\"fuzz\"");
        return m;
    }
}
