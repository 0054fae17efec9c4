package sh.reform.gateway.inbound;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
 * A 一网通办 service-item notification: an item launched, changed or withdrawn in a district.
 * <pre>
 * {"messageId": "YWTB-20261120-000123", "event": "LAUNCHED", "itemCode": "310113-KD-0001",
 *  "itemName": "开店一件事", "districtCode": "310113", "date": "2026-11-20", "changes": "…"}
 * </pre>
 * It becomes a rollout report of the mapped measure: launched → LIVE, withdrawn → SUSPENDED,
 * changed → LIVE (the item is still online) with what changed in the note.
 */
final class ServiceItemNotifications {

    static final Pattern ITEM_CODE = Pattern.compile("[0-9A-Za-z_-]{4,64}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    enum ItemEvent { LAUNCHED, CHANGED, WITHDRAWN }

    private ServiceItemNotifications() {
    }

    static InboundMessage read(JsonNode body, Catalog catalog) {
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(List.of(new FieldError("body", "type", "请求体应为 JSON 对象", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ReportFields f = new ReportFields(body, "", errors);
        String messageId = f.text("messageId", true, 100);
        ItemEvent event = f.enumValue("event", ItemEvent.class, true, null);
        String code = f.text("itemCode", true, 64);
        if (code != null && !ITEM_CODE.matcher(code).matches()) {
            f.error("itemCode", "format", "一网通办事项编码应为 4–64 位字母、数字、连字符或下划线", "a service item code is 4–64 letters, digits, '-' or '_'");
        }
        String name = f.text("itemName", false, 200);
        String district = InboundMessage.district(f, "districtCode", catalog);
        LocalDate date = f.date("date", false);
        String occurredAt = f.text("occurredAt", false, 40);
        if (occurredAt != null) {
            f.instant("occurredAt", false);
        } else if (date == null && !f.has("date")) {
            f.error("date", "required", "须填写 date（生效日期）或 occurredAt", "date (the day it took effect) or occurredAt is required");
        }
        String changes = f.text("changes", false, 1000);
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        ObjectNode fields = JSON.createObjectNode();
        fields.put("occurredAt", occurredAt != null ? occurredAt : date.toString());
        fields.put("stage", event == ItemEvent.WITHDRAWN ? "SUSPENDED" : "LIVE");
        fields.put("serviceItemCode", code);
        if (date != null) {
            fields.put("effectiveDate", date.toString());
        }
        fields.put("note", note(event, name == null ? code : name, changes, messageId));
        String label = "一网通办事项 " + code + " " + event;
        return new InboundMessage(messageId, List.of(new PendingReport(MappingKind.SERVICE_ITEM, code, district, InboundMessage.SERVICES,
                InboundMessage.SERVICES + "|" + messageId, fields, label)));
    }

    private static String note(ItemEvent event, String name, String changes, String messageId) {
        String what = switch (event) {
            case LAUNCHED -> "一网通办事项上线：" + name;
            case CHANGED -> "一网通办事项变更：" + name + (changes == null ? "" : "；" + changes);
            case WITHDRAWN -> "一网通办事项撤销：" + name;
        };
        String n = what + "（消息 " + messageId + "）";
        return n.length() > 2000 ? n.substring(0, 2000) : n;
    }
}
