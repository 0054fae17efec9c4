package sh.reform.supervision;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import sh.reform.catalog.FieldError;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.shared.reporting.Receipt;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A bulk assignment: batch-level defaults (due date, note, occurred-at, source) and one cell per case
 * and district, each of which may override them. It goes through the reporting path's batch (one Kafka
 * transaction, all or nothing) as one Assigned report per cell; problems are named as the caller wrote
 * them: {@code cells[i].field}, or the batch-level field when a cell took the default.
 */
final class AssignmentBatch {

    /** Fields a cell takes from the batch when it does not give its own. */
    static final List<String> DEFAULTS = List.of("dueDate", "note", "occurredAt", "source");
    private static final Pattern REPORT_FIELD = Pattern.compile("reports\\[(\\d+)]\\.?(.*)");

    private final ObjectNode reports;
    /** For each cell, the batch-level fields it inherited. */
    private final List<Set<String>> inherited;

    private AssignmentBatch(ObjectNode reports, List<Set<String>> inherited) {
        this.reports = reports;
        this.inherited = inherited;
    }

    /** Reads the batch's shape and defaults; 400 when they are unusable. */
    static AssignmentBatch read(JsonNode body, String idempotencyKey, ReformPrincipal who) {
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(List.of(new FieldError("body", "type", "请求体应为 JSON 对象", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ReportFields batch = new ReportFields(body, "", errors);
        batch.date("dueDate", false);
        batch.text("note", false, 2000);
        UUID batchId = batch.uuid("eventId", false);
        JsonNode cells = body.get("cells");
        if (cells == null || !cells.isArray() || cells.isEmpty()) {
            errors.add(new FieldError("cells", "required", "cells 应为非空数组，每项一个案例和区", "cells must be a non-empty array, one case and district each"));
        } else if (cells.size() > ReportingEngine.MAX_BATCH) {
            errors.add(new FieldError("cells", "too-many", "一批最多 " + ReportingEngine.MAX_BATCH + " 格，收到 " + cells.size() + " 格",
                    "at most " + ReportingEngine.MAX_BATCH + " cells per batch, got " + cells.size()));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        String key = batchId != null ? batchId.toString()
                : idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey.strip() : null;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("reports");
        List<Set<String>> inherited = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            JsonNode cell = cells.get(i);
            if (!cell.isObject()) {
                errors.add(new FieldError("cells[" + i + "]", "type", "应为 JSON 对象", "must be a JSON object"));
                continue;
            }
            ObjectNode report = ((ObjectNode) cell).deepCopy();
            Set<String> took = new LinkedHashSet<>();
            for (String field : DEFAULTS) {
                if (!present(report.get(field)) && present(body.get(field))) {
                    report.set(field, body.get(field));
                    took.add(field);
                }
            }
            if (key != null && !present(report.get("eventId"))) {
                // The same batch sent again derives the same ids, so it is recognised as a repeat cell by cell.
                String subject = who.name() + "|" + key + "|" + text(cell, "caseId") + "|" + text(cell, "districtCode") + "|" + text(cell, "measureId");
                report.put("eventId", UUID.nameUUIDFromBytes(subject.getBytes(StandardCharsets.UTF_8)).toString());
            }
            SupervisionController.marked(report, SupervisionAction.ASSIGN);
            list.add(report);
            inherited.add(took);
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return new AssignmentBatch(out, inherited);
    }

    /** One transaction for all cells, or a 400 naming the cells' (or the batch's) fields and nothing published. */
    List<Receipt> publish(ReportingEngine<SupervisionEvent> engine, ReformPrincipal who) {
        try {
            return engine.reportBatch(reports, who);
        } catch (ApiProblemException e) {
            if (e.errors().isEmpty()) {
                throw e;
            }
            throw ApiProblemException.invalid(renamed(e.errors()));
        }
    }

    private List<FieldError> renamed(List<FieldError> errors) {
        List<FieldError> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (FieldError e : errors) {
            String field = e.field();
            Matcher m = REPORT_FIELD.matcher(field);
            if (m.matches()) {
                int i = Integer.parseInt(m.group(1));
                String rest = m.group(2);
                String top = rest.contains(".") || rest.contains("[") ? rest.split("[.\\[]", 2)[0] : rest;
                field = i < inherited.size() && inherited.get(i).contains(top) ? rest : "cells[" + i + "]" + (rest.isEmpty() ? "" : "." + rest);
            }
            if (seen.add(field + "|" + e.code())) {
                out.add(new FieldError(field, e.code(), e.messageZh(), e.messageEn()));
            }
        }
        return out;
    }

    private static boolean present(JsonNode v) {
        return v != null && !v.isNull() && !(v.isString() && v.asString().isBlank());
    }

    private static String text(JsonNode cell, String field) {
        JsonNode v = cell.get(field);
        return v == null || v.isNull() ? "" : v.isString() ? v.asString().strip() : v.toString();
    }
}
