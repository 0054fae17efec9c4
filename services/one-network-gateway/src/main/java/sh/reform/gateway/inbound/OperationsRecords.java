package sh.reform.gateway.inbound;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.FieldError;
import sh.reform.gateway.mapping.MappingKind;
import sh.reform.gateway.mapping.PendingReport;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * 一网统管 operations records: counts of inspections, patrols and events per district and period.
 * <pre>
 * {"messageId": "…", "period": "2026-10", "reportedAt"?: "…", "districtCode"?: "310109",
 *  "records": [{"districtCode"?: "310109", "kind": "INSPECTION", "indicator": "开店综合巡查次数", "count": 35}, …]}
 * </pre>
 * Each record becomes one outcome report per metric its indicator is mapped to.
 */
final class OperationsRecords {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    enum RecordKind { INSPECTION, PATROL, EVENT }

    private OperationsRecords() {
    }

    static InboundMessage read(JsonNode body, String fallbackMessageId, Catalog catalog, Clock clock) {
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(List.of(new FieldError("body", "type", "请求体应为 JSON 对象", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ReportFields top = new ReportFields(body, "", errors);
        String messageId = MonthlyReports.orElse(top.text("messageId", false, 100), fallbackMessageId);
        String rawPeriod = top.text("period", true, 30);
        String period = rawPeriod == null ? null : Periods.normalise(rawPeriod).orElse(null);
        if (rawPeriod != null && period == null) {
            top.error("period", "format", "统计期应如 2026、2026-Q3、2026-10、2026-10-15 或 2026-10-01/2026-10-31",
                    "period must look like 2026, 2026-Q3, 2026-10, 2026-10-15 or 2026-10-01/2026-10-31");
        }
        String occurredAt = period == null ? null : InboundMessage.occurredAt(top, period, clock);
        String defaultDistrict = top.has("districtCode") ? InboundMessage.district(top, "districtCode", catalog) : null;
        JsonNode records = body.get("records");
        List<PendingReport> pending = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        if (records == null || !records.isArray() || records.isEmpty()) {
            top.error("records", "required", "records 应为非空数组", "records must be a non-empty array");
        } else {
            for (int i = 0; i < records.size(); i++) {
                String path = "records[" + i + "]";
                if (!records.get(i).isObject()) {
                    errors.add(new FieldError(path, "type", "应为对象", "must be an object"));
                    continue;
                }
                ReportFields f = new ReportFields(records.get(i), path, errors);
                String district = f.has("districtCode") ? InboundMessage.district(f, "districtCode", catalog) : defaultDistrict;
                if (district == null && !f.has("districtCode") && !top.has("districtCode")) {
                    f.error("districtCode", "required", "每条记录（或整条消息）须有 districtCode", "each record (or the message) needs a districtCode");
                }
                RecordKind kind = f.enumValue("kind", RecordKind.class, true, null);
                String indicator = f.text("indicator", true, 60);
                if (indicator != null && indicator.contains("/")) {
                    f.error("indicator", "format", "指标名称不能含斜杠", "an indicator name cannot contain '/'");
                }
                Double count = f.number("count", true);
                if (count != null && count < 0) {
                    f.error("count", "range", "数量不能为负", "a count cannot be negative");
                }
                if (district != null && indicator != null && !seen.add(district + "|" + indicator)) {
                    f.error("indicator", "duplicate", "同一消息中 " + district + " 的“" + indicator + "”重复", "'" + indicator + "' of " + district + " appears twice in the message");
                }
                if (district == null || kind == null || indicator == null || count == null || occurredAt == null || !errors.isEmpty()) {
                    continue;
                }
                ObjectNode fields = JSON.createObjectNode();
                fields.put("occurredAt", occurredAt);
                fields.put("value", count);
                fields.put("period", period);
                fields.put("evidenceRef", "一网统管 " + messageId);
                fields.put("note", "一网统管" + kindZh(kind) + "记录：" + indicator);
                pending.add(new PendingReport(MappingKind.OPERATIONS_INDICATOR, indicator, district, InboundMessage.OPERATIONS,
                        InboundMessage.OPERATIONS + "|" + messageId + "|" + district + "|" + indicator, fields,
                        "一网统管 " + period + " " + district + " " + indicator));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new InboundMessage(messageId, pending);
    }

    private static String kindZh(RecordKind k) {
        return switch (k) {
            case INSPECTION -> "检查";
            case PATROL -> "巡查";
            case EVENT -> "事件";
        };
    }
}
