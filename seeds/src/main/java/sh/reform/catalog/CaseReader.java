package sh.reform.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import sh.reform.schema.catalog.CaseState;
import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.catalog.ChangeKind;
import sh.reform.schema.catalog.MetricKind;
import sh.reform.schema.catalog.OneNetworkSystem;
import sh.reform.schema.catalog.ReferenceValue;
import sh.reform.schema.catalog.ValueQualifier;
import tools.jackson.databind.JsonNode;

/**
 * Reads cases and batches from a JSON/YAML tree (the seed files and the city office's API use the
 * same shape), collecting a {@link FieldError} per bad field instead of stopping at the first,
 * so a clerk sees every problem of a file at once. Structure only: whether a district or domain
 * exists is {@link CatalogValidator}'s job.
 */
public final class CaseReader {

    private final List<FieldError> errors = new ArrayList<>();

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Reads one case at {@code path}; returns null (with errors recorded) when it cannot be built. */
    public CatalogCase readCase(JsonNode n, String path, String batchId, Integer batchYear) {
        if (n == null || !n.isObject()) {
            errors.add(new FieldError(path, "type", path + " 应为对象", path + " must be an object"));
            return null;
        }
        int before = errors.size();
        String id = text(n, path, "id", true);
        Integer year = integer(n, path, "year", batchYear == null);
        Integer rank = integer(n, path, "rank", true);
        String origin = text(n, path, "originDistrict", true);
        String titleZh = text(n, path, "titleZh", true);
        String domain = text(n, path, "domain", true);
        List<OneNetworkSystem> oneNetwork = new ArrayList<>();
        JsonNode on = n.get("oneNetwork");
        if (on != null && !on.isNull()) {
            if (!on.isArray()) {
                errors.add(new FieldError(path + ".oneNetwork", "type", "应为列表：SERVICES（一网通办）或 OPERATIONS（一网统管）",
                        "must be a list of SERVICES (一网通办) or OPERATIONS (一网统管)"));
            } else {
                for (int i = 0; i < on.size(); i++) {
                    OneNetworkSystem s = enumValue(OneNetworkSystem.class, on.get(i), path + ".oneNetwork[" + i + "]");
                    if (s != null) {
                        oneNetwork.add(s);
                    }
                }
            }
        }
        List<CatalogMeasure> measures = new ArrayList<>();
        JsonNode ms = n.get("measures");
        if (ms == null || !ms.isArray() || ms.isEmpty()) {
            errors.add(new FieldError(path + ".measures", "required", "案例至少需要一项举措", "a case needs at least one measure"));
        } else {
            for (int i = 0; i < ms.size(); i++) {
                String p = path + ".measures[" + i + "]";
                JsonNode m = ms.get(i);
                String mid = text(m, p, "id", true);
                String nameZh = text(m, p, "nameZh", true);
                if (mid != null && nameZh != null) {
                    measures.add(CatalogMeasure.newBuilder().setMeasureId(mid).setNameZh(nameZh)
                            .setNameEn(text(m, p, "nameEn", false)).setDescriptionZh(text(m, p, "descriptionZh", false)).build());
                }
            }
        }
        List<CatalogMetric> metrics = new ArrayList<>();
        JsonNode ks = n.get("metrics");
        if (ks != null && !ks.isNull()) {
            if (!ks.isArray()) {
                errors.add(new FieldError(path + ".metrics", "type", "应为列表", "must be a list"));
            } else {
                for (int i = 0; i < ks.size(); i++) {
                    CatalogMetric metric = readMetric(ks.get(i), path + ".metrics[" + i + "]");
                    if (metric != null) {
                        metrics.add(metric);
                    }
                }
            }
        }
        CaseState state = n.has("state") ? enumValue(CaseState.class, n.get("state"), path + ".state") : CaseState.ACTIVE;
        if (errors.size() > before) {
            return null;
        }
        return CatalogCase.newBuilder()
                .setCaseId(id).setBatchId(batchId).setYear(year != null ? year : batchYear).setRank(rank)
                .setOriginDistrict(origin).setLeadAgency(text(n, path, "leadAgency", false))
                .setTitleZh(titleZh).setTitleEn(text(n, path, "titleEn", false))
                .setDomain(domain)
                .setSummaryZh(text(n, path, "summaryZh", false)).setSummaryEn(text(n, path, "summaryEn", false))
                .setOneNetwork(oneNetwork).setMeasures(measures).setMetrics(metrics)
                .setState(state == null ? CaseState.ACTIVE : state)
                .setVersion(1).setContentHash("").setChangedBy("seed").setChangedAt(Instant.EPOCH)
                .build();
    }

    private CatalogMetric readMetric(JsonNode k, String p) {
        int before = errors.size();
        String mid = text(k, p, "id", true);
        String nameZh = text(k, p, "nameZh", true);
        String unit = text(k, p, "unit", true);
        MetricKind kind = k.has("kind") ? enumValue(MetricKind.class, k.get("kind"), p + ".kind") : MetricKind.OTHER;
        List<ReferenceValue> refs = new ArrayList<>();
        JsonNode rs = k.get("reference");
        if (rs != null && rs.isArray()) {
            for (int j = 0; j < rs.size(); j++) {
                String rp = p + ".reference[" + j + "]";
                JsonNode r = rs.get(j);
                Double value = number(r, rp, "value", true);
                Double baseline = number(r, rp, "baseline", false);
                Double baseValue = number(r, rp, "baseValue", false);
                Double baseBaseline = number(r, rp, "baseBaseline", false);
                ValueQualifier q = r.has("qualifier") ? enumValue(ValueQualifier.class, r.get("qualifier"), rp + ".qualifier")
                        : ValueQualifier.EXACT;
                ChangeKind ck = r.has("changeKind") ? enumValue(ChangeKind.class, r.get("changeKind"), rp + ".changeKind")
                        : ChangeKind.LEVEL;
                if (value != null && q != null && ck != null) {
                    refs.add(ReferenceValue.newBuilder().setValue(value).setBaseline(baseline).setQualifier(q)
                            .setChangeKind(ck).setPeriod(text(r, rp, "period", false))
                            .setSourceDoc(text(r, rp, "sourceDoc", false))
                            .setBaseValue(baseValue).setBaseBaseline(baseBaseline).build());
                }
            }
        }
        if (errors.size() > before || kind == null) {
            return null;
        }
        return CatalogMetric.newBuilder().setMetricId(mid).setNameZh(nameZh).setNameEn(text(k, p, "nameEn", false))
                .setUnit(unit).setKind(kind).setReference(refs).setBaseUnit(text(k, p, "baseUnit", false)).build();
    }

    /** Reads one batch entry. */
    public CatalogBatch readBatch(JsonNode n, String path) {
        int before = errors.size();
        String id = text(n, path, "id", true);
        String titleZh = text(n, path, "titleZh", true);
        Integer year = integer(n, path, "year", false);
        Integer count = integer(n, path, "caseCount", false);
        if (errors.size() > before) {
            return null;
        }
        JsonNode listed = n.get("casesListed");
        return CatalogBatch.newBuilder().setBatchId(id).setYear(year).setTitleZh(titleZh)
                .setTitleEn(text(n, path, "titleEn", false)).setCaseCount(count)
                .setCasesListed(listed != null && listed.asBoolean(false)).setNote(text(n, path, "note", false))
                .setVersion(1).setChangedBy("seed").setChangedAt(Instant.EPOCH).build();
    }

    String text(JsonNode n, String path, String field, boolean required) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull() || (v.isString() && v.asString().isBlank())) {
            if (required) {
                errors.add(FieldError.required(path + "." + field));
            }
            return null;
        }
        if (!v.isValueNode()) {
            errors.add(new FieldError(path + "." + field, "type", path + "." + field + " 应为文本", path + "." + field + " must be text"));
            return null;
        }
        return v.asString().strip();
    }

    Integer integer(JsonNode n, String path, String field, boolean required) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(FieldError.required(path + "." + field));
            }
            return null;
        }
        if (!v.canConvertToInt() || !(v.isIntegralNumber() || v.asString().matches("-?\\d+"))) {
            errors.add(new FieldError(path + "." + field, "type", path + "." + field + " 应为整数", path + "." + field + " must be an integer"));
            return null;
        }
        return v.isNumber() ? v.asInt() : Integer.parseInt(v.asString());
    }

    Double number(JsonNode n, String path, String field, boolean required) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(FieldError.required(path + "." + field));
            }
            return null;
        }
        if (!v.isNumber()) {
            errors.add(new FieldError(path + "." + field, "type", path + "." + field + " 应为数字", path + "." + field + " must be a number"));
            return null;
        }
        return v.asDouble();
    }

    <E extends Enum<E>> E enumValue(Class<E> type, JsonNode v, String path) {
        if (v == null || v.isNull() || !v.isString()) {
            errors.add(new FieldError(path, "type", path + " 应为以下之一：" + symbols(type), path + " must be one of " + symbols(type)));
            return null;
        }
        try {
            return Enum.valueOf(type, v.asString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(path, "unknown-value", path + " 的取值“" + v.asString() + "”无效，应为以下之一：" + symbols(type),
                    path + " value '" + v.asString() + "' is not one of " + symbols(type)));
            return null;
        }
    }

    private static <E extends Enum<E>> String symbols(Class<E> type) {
        List<String> s = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (!e.name().equals("UNKNOWN")) {
                s.add(e.name());
            }
        }
        return String.join(", ", s);
    }
}
