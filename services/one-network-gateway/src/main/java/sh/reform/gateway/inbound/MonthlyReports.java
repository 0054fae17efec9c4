package sh.reform.gateway.inbound;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

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
 * The 一网通办 monthly operation report: per district, figures such as 网办率, 全程网办率, 办件量.
 * JSON:
 * <pre>
 * {"messageId": "…", "month": "2026-10", "reportedAt"?: "…",
 *  "districts": [{"districtCode": "310113", "figures": {"网办率": 86.5, "全程网办率": "70.1%", "办件量": 12345}}, …]}
 * </pre>
 * or CSV, one row per district: {@code 区代码,月份,网办率,全程网办率,办件量} (月份 may instead be the
 * {@code month} query parameter; every column that is not 区代码/区名/月份/上报时间 is a figure).
 * Each figure of each district becomes one outcome report per metric it is mapped to; percentages
 * are 0–100 ("86.5%" is read as 86.5).
 */
final class MonthlyReports {

    static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> DISTRICT_COLUMNS = Set.of("区代码", "区划代码", "districtcode");
    private static final Set<String> MONTH_COLUMNS = Set.of("月份", "统计月份", "month");
    private static final Set<String> IGNORED_COLUMNS = Set.of("区", "区名", "区名称", "districtname");
    private static final Set<String> REPORTED_COLUMNS = Set.of("上报时间", "reportedat");

    private MonthlyReports() {
    }

    record Row(String path, JsonNode fields) {
    }

    static InboundMessage readJson(JsonNode body, String fallbackMessageId, Catalog catalog, Clock clock) {
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(List.of(new FieldError("body", "type", "请求体应为 JSON 对象", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ReportFields top = new ReportFields(body, "", errors);
        String messageId = orElse(top.text("messageId", false, 100), fallbackMessageId);
        List<Row> rows = new ArrayList<>();
        JsonNode districts = body.get("districts");
        if (districts != null && districts.isArray()) {
            for (int i = 0; i < districts.size(); i++) {
                rows.add(new Row("districts[" + i + "]", districts.get(i)));
            }
        } else if (body.has("districtCode")) {
            rows.add(new Row("", body));
        } else {
            top.error("districts", "required", "须有 districts 数组（或单个区的 districtCode 与 figures）",
                    "a districts array (or districtCode and figures of one district) is required");
        }
        return build(messageId, top, rows, errors, catalog, clock);
    }

    static InboundMessage readCsv(byte[] content, String month, String reportedAt, String fallbackMessageId, Catalog catalog, Clock clock) {
        List<FieldError> errors = new ArrayList<>();
        ObjectNode topNode = JSON.createObjectNode();
        if (month != null) {
            topNode.put("month", month);
        }
        if (reportedAt != null) {
            topNode.put("reportedAt", reportedAt);
        }
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(decode(content)), CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get())) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() < 2) {
                throw ApiProblemException.invalid(List.of(new FieldError("file", "empty", "CSV 应有表头行和至少一行数据", "the CSV needs a header row and at least one data row")));
            }
            List<String> headers = records.get(0).toList().stream().map(h -> h.replace("\uFEFF", "").strip()).toList();
            for (int r = 1; r < records.size(); r++) {
                CSVRecord rec = records.get(r);
                ObjectNode row = JSON.createObjectNode();
                ObjectNode figures = row.putObject("figures");
                for (int c = 0; c < headers.size() && c < rec.size(); c++) {
                    String h = headers.get(c);
                    String v = rec.get(c).strip();
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (h.isEmpty() || v.isEmpty() || IGNORED_COLUMNS.contains(lower)) {
                        continue;
                    }
                    if (DISTRICT_COLUMNS.contains(lower)) {
                        row.put("districtCode", v);
                    } else if (MONTH_COLUMNS.contains(lower)) {
                        if (topNode.has("month") && !topNode.get("month").asString().equals(v)) {
                            errors.add(new FieldError("rows[" + (r + 1) + "].月份", "mixed-months", "一份月报只能有一个月份",
                                    "one monthly report covers one month"));
                        }
                        topNode.put("month", v);
                    } else if (REPORTED_COLUMNS.contains(lower)) {
                        topNode.put("reportedAt", v);
                    } else {
                        figures.put(h, v);
                    }
                }
                rows.add(new Row("rows[" + (r + 1) + "]", row));
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw ApiProblemException.invalid(List.of(new FieldError("file", "format", "CSV 文件无法解析：" + e.getMessage(),
                    "the CSV cannot be read: " + e.getMessage())));
        }
        return build(fallbackMessageId, new ReportFields(topNode, "", errors), rows, errors, catalog, clock);
    }

    private static InboundMessage build(String messageId, ReportFields top, List<Row> rows, List<FieldError> errors, Catalog catalog, Clock clock) {
        String month = top.text("month", true, 7);
        if (month != null && !MONTH.matcher(month).matches()) {
            top.error("month", "format", "月份应如 2026-10", "month must look like 2026-10");
            month = null;
        }
        String occurredAt = month == null ? null : InboundMessage.occurredAt(top, month, clock);
        List<PendingReport> pending = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Row row : rows) {
            if (!row.fields().isObject()) {
                errors.add(new FieldError(row.path(), "type", "应为对象", "must be an object"));
                continue;
            }
            ReportFields f = new ReportFields(row.fields(), row.path(), errors);
            String district = InboundMessage.district(f, "districtCode", catalog);
            if (district != null && !seen.add(district)) {
                f.error("districtCode", "duplicate", "同一份月报中区代码 " + district + " 重复", "district " + district + " appears twice in the report");
            }
            JsonNode figuresNode = row.fields().get("figures");
            if (figuresNode == null || !figuresNode.isObject()) {
                f.error("figures", "required", "须有 figures 对象（指标名 → 数值）", "a figures object (name → value) is required");
                continue;
            }
            ReportFields figures = new ReportFields(figuresNode, f.path("figures"), errors);
            for (Map.Entry<String, Double> e : values(figuresNode, figures).entrySet()) {
                if (district == null || occurredAt == null || e.getValue() == null) {
                    continue;
                }
                ObjectNode fields = JSON.createObjectNode();
                fields.put("occurredAt", occurredAt);
                fields.put("value", e.getValue());
                fields.put("period", month);
                fields.put("evidenceRef", "一网通办月报 " + messageId);
                fields.put("note", "一网通办运行月报 " + month + " " + e.getKey());
                pending.add(new PendingReport(MappingKind.SERVICE_FIGURE, e.getKey(), district, InboundMessage.SERVICES,
                        InboundMessage.SERVICES + "|" + messageId + "|" + district + "|" + e.getKey(), fields,
                        "一网通办月报 " + month + " " + district + " " + e.getKey()));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        if (pending.isEmpty()) {
            throw ApiProblemException.invalid(List.of(new FieldError("figures", "empty", "月报中没有任何指标数值", "the report holds no figures")));
        }
        return new InboundMessage(messageId, pending);
    }

    /** Figure name → value; "86.5%" and "12,345" are read as numbers. */
    static Map<String, Double> values(JsonNode node, ReportFields figures) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : node.propertyNames()) {
            JsonNode v = node.get(name);
            if (name.isBlank() || name.length() > 60 || name.contains("/")) {
                figures.error(name, "format", "指标名称应为 1–60 个字符，不含斜杠", "a figure name is 1–60 characters without slashes");
                continue;
            }
            if (v.isString() && v.asString().strip().endsWith("%")) {
                String s = v.asString().strip();
                try {
                    out.put(name, new BigDecimal(s.substring(0, s.length() - 1).strip()).doubleValue());
                } catch (NumberFormatException e) {
                    figures.error(name, "type", "应为数字，收到“" + s + "”", "must be a number, got '" + s + "'");
                }
                continue;
            }
            out.put(name, figures.number(name, true));
        }
        return out;
    }

    static String orElse(String a, String b) {
        return a != null ? a : b;
    }

    static String decode(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return new String(content, Charset.forName("GB18030"));
        }
    }
}
