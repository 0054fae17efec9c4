package sh.reform.adoption;

import java.util.LinkedHashMap;
import java.util.Map;

import sh.reform.shared.testing.ReportingApiFuzzing;
import sh.reform.shared.topics.Topics;

/** Fuzzing of the adoption API: only 2xx or 4xx, and nothing published for a 4xx. */
class AdoptionApiFuzzTest extends ReportingApiFuzzing {

    @Override
    protected Class<?> application() {
        return CaseAdoptionServiceApplication.class;
    }

    @Override
    protected String path() {
        return "/api/v1/adoptions";
    }

    @Override
    protected String topic() {
        return Topics.CASE_ADOPTION.name();
    }

    @Override
    protected Map<String, String> validFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("caseId", "\"SH-2023-05\"");
        m.put("districtCode", "\"310117\"");
        m.put("occurredAt", "\"2026-11-01T09:00:00+08:00\"");
        m.put("decision", "\"INTENDS\"");
        m.put("leadAgency", "\"松江区发展改革委\"");
        m.put("targetDate", "\"2027-12-31\"");
        m.put("plannedMeasureIds", "[\"SH-2023-05-M1\"]");
        m.put("note", "\"fuzz\"");
        return m;
    }
}
