package sh.reform.supervision;

import java.util.LinkedHashMap;
import java.util.Map;

import sh.reform.shared.testing.ReportingApiFuzzing;
import sh.reform.shared.testing.TestPlatform;
import sh.reform.shared.topics.Topics;

/**
 * Fuzzing of every supervision endpoint: only 2xx or 4xx, and nothing published for a 4xx. The
 * district's own steps are sent with that district's token (the city office is refused them), the
 * city office's with the city office's; there is no file import.
 */
class SupervisionApiFuzzTest extends ReportingApiFuzzing {

    static final String BASE = "/api/v1/supervision";
    static final String DISTRICT = "310117";

    @Override
    protected Class<?> application() {
        return SupervisionServiceApplication.class;
    }

    @Override
    protected String path() {
        return BASE + "/assignments";
    }

    @Override
    protected String topic() {
        return Topics.SUPERVISION.name();
    }

    private static Map<String, String> cell() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("caseId", "\"SH-2023-05\"");
        m.put("districtCode", "\"" + DISTRICT + "\"");
        return m;
    }

    @Override
    protected Map<String, String> validFields() {
        Map<String, String> m = cell();
        m.put("occurredAt", "\"2026-11-01T09:00:00+08:00\"");
        m.put("measureId", "\"SH-2023-05-M1\"");
        m.put("dueDate", "\"2027-12-31\"");
        m.put("note", "\"fuzz\"");
        return m;
    }

    @Override
    protected Map<String, Map<String, String>> endpoints() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put(path(), validFields());
        Map<String, String> ack = cell();
        ack.put("leadAgency", "\"松江区发展改革委\"");
        ack.put("contactName", "\"张敏\"");
        ack.put("contactPhone", "\"021-57821234\"");
        all.put(BASE + "/acknowledgements", ack);
        Map<String, String> urge = cell();
        urge.put("occurredAt", "\"2026-11-01T09:00:00+08:00\"");
        urge.put("message", "\"请反馈举措进度\"");
        urge.put("replyBy", "\"2026-11-15\"");
        urge.put("level", "\"DISTRICT_LEADERSHIP\"");
        urge.put("measureId", "\"SH-2023-05-M1\"");
        all.put(BASE + "/urges", urge);
        Map<String, String> response = cell();
        response.put("urgeEventId", "\"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\"");
        response.put("done", "\"已完成试点\"");
        response.put("blockers", "\"待系统对接\"");
        response.put("proposedDate", "\"2099-01-31\"");
        all.put(BASE + "/responses", response);
        Map<String, String> review = cell();
        review.put("claimEventId", "\"0b9c1a2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d\"");
        review.put("claimKind", "\"MEASURE_STAGE\"");
        review.put("verdict", "\"RETURNED\"");
        review.put("reason", "\"缺少佐证材料\"");
        all.put(BASE + "/reviews", review);
        return all;
    }

    @Override
    protected String tokenFor(String path) {
        return path.endsWith("/acknowledgements") || path.endsWith("/responses")
                ? TestPlatform.districtToken(DISTRICT) : TestPlatform.cityOfficeToken();
    }

    @Override
    protected String batchPath() {
        return BASE + "/assignments/batch";
    }

    @Override
    protected String batchBody(String a, String b) {
        return "{\"dueDate\": \"2027-12-31\", \"note\": \"fuzz batch\", \"cells\": [" + a + "," + b + "]}";
    }

    @Override
    protected Map<String, String> batchItemFields() {
        Map<String, String> m = cell();
        m.put("measureId", "\"SH-2023-05-M1\"");
        m.put("dueDate", "\"2028-06-30\"");
        return m;
    }

    @Override
    protected boolean importsFiles() {
        return false;
    }
}
