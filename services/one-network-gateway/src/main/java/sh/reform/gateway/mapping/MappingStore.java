package sh.reform.gateway.mapping;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.FieldError;
import sh.reform.gateway.mapping.Mapping.MeasureTarget;
import sh.reform.gateway.mapping.Mapping.MetricTarget;
import sh.reform.gateway.store.KafkaJsonStore;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;

/**
 * The city office's mappings, kept in the compacted topic {@code reform.gateway.mappings} (key
 * {@code KIND/key}, JSON value), so they survive restarts. A change is checked against the
 * current catalog (the case is active, the measure or metric belongs to it, a unit agrees with
 * the catalog's), gets the next version, and may name the version it expects (409 otherwise).
 */
public final class MappingStore {

    /** Service item codes as the rollout API accepts them. */
    static final Pattern ITEM_CODE = Pattern.compile("[0-9A-Za-z_-]{4,64}");
    static final Pattern FIGURE_NAME = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,60}");

    private final KafkaJsonStore<Mapping> store;
    private final CatalogFollower catalog;
    private final Clock clock;

    public MappingStore(KafkaJsonStore<Mapping> store, CatalogFollower catalog, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Optional<Mapping> find(MappingKind kind, String key) {
        return store.get(Mapping.storeKey(kind, key));
    }

    public List<Mapping> all() {
        return store.all().stream().sorted(Comparator.comparing(Mapping::kind).thenComparing(Mapping::key)).toList();
    }

    public boolean ready() {
        return store.caughtUp();
    }

    public void requireReady() {
        store.requireCaughtUp();
    }

    /**
     * Creates or replaces a mapping. The body is {@code {caseId, measureId}} for a service item and
     * {@code {targets: [{districtCode?, caseId, metricId, metricName?, unit?}]}} for a figure or an
     * indicator; both may carry {@code note} and {@code expectedVersion}.
     */
    public synchronized Mapping put(MappingKind kind, String key, JsonNode body, ReformPrincipal who) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(List.of(new FieldError("body", "type", "请求体应为 JSON 对象", "the body must be a JSON object")));
        }
        checkKey(kind, key, errors);
        ReportFields f = new ReportFields(body, "", errors);
        String note = f.text("note", false, 500);
        Long expected = f.wholeNumber("expectedVersion", false);
        Catalog cat = catalog.current();
        MeasureTarget measure = null;
        List<MetricTarget> metrics = List.of();
        if (kind == MappingKind.SERVICE_ITEM) {
            measure = measureTarget(f, cat);
        } else {
            metrics = metricTargets(f, cat);
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        Optional<Mapping> current = find(kind, key);
        int version = current.map(Mapping::version).orElse(0);
        if (expected != null && expected != version) {
            throw ApiProblemException.conflict("映射“" + key + "”当前为第 " + version + " 版，不是请求中预期的第 " + expected + " 版；请重新读取后再修改",
                    "mapping '" + key + "' is at version " + version + ", not the expected " + expected + "; read it again and retry");
        }
        Mapping m = new Mapping(kind, key, version + 1, who.name(), Instant.now(clock), note, measure, metrics);
        store.put(Mapping.storeKey(kind, key), m);
        return m;
    }

    private static void checkKey(MappingKind kind, String key, List<FieldError> errors) {
        boolean ok = kind == MappingKind.SERVICE_ITEM ? ITEM_CODE.matcher(key).matches() : FIGURE_NAME.matcher(key).matches();
        if (!ok) {
            errors.add(kind == MappingKind.SERVICE_ITEM
                    ? new FieldError("itemCode", "format", "一网通办事项编码应为 4–64 位字母、数字、连字符或下划线", "a service item code is 4–64 letters, digits, '-' or '_'")
                    : new FieldError("name", "format", "指标名称应为 1–60 个字符，不含斜杠", "a figure or indicator name is 1–60 characters without slashes"));
        }
    }

    private static MeasureTarget measureTarget(ReportFields f, Catalog cat) {
        String caseId = activeCase(f, cat);
        String measureId = f.text("measureId", true, 60);
        if (caseId != null && measureId != null && cat.measure(caseId, measureId).isEmpty()) {
            f.error("measureId", "unknown-measure", "举措“" + measureId + "”不属于案例 " + caseId, "measure '" + measureId + "' does not belong to case " + caseId);
        }
        return caseId == null || measureId == null ? null : new MeasureTarget(caseId, measureId);
    }

    private static List<MetricTarget> metricTargets(ReportFields f, Catalog cat) {
        JsonNode list = f.raw("targets");
        if (list == null || !list.isArray() || list.isEmpty()) {
            f.error("targets", "required", "targets 应为非空数组：[{districtCode?, caseId, metricId, metricName?, unit?}]",
                    "targets must be a non-empty array: [{districtCode?, caseId, metricId, metricName?, unit?}]");
            return List.of();
        }
        List<MetricTarget> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) {
                f.error("targets[" + i + "]", "type", "应为对象", "must be an object");
                continue;
            }
            ReportFields t = new ReportFields(list.get(i), f.path("targets[" + i + "]"), f.errors());
            String district = Optional.ofNullable(t.text("districtCode", false, 12)).orElse(Mapping.ALL_DISTRICTS);
            if (!Mapping.ALL_DISTRICTS.equals(district) && !cat.isReportingDistrict(district)) {
                t.error("districtCode", "unknown-district", "未知的区代码“" + district + "”（全部区用 *）", "unknown district code '" + district + "' (use * for all)");
            }
            String caseId = activeCase(t, cat);
            String metricId = t.text("metricId", true, 60);
            String name = t.text("metricName", false, 100);
            String unit = t.text("unit", false, 20);
            if (caseId != null && metricId != null) {
                Optional<CatalogMetric> metric = cat.metric(caseId, metricId);
                if (metric.isPresent() && unit != null && !unit.equals(metric.get().getUnit())) {
                    t.error("unit", "unit-mismatch", "指标 " + metricId + " 的单位是“" + metric.get().getUnit() + "”", "metric " + metricId + " is measured in '" + metric.get().getUnit() + "'");
                }
                if (metric.isEmpty() && (name == null || unit == null)) {
                    t.error("metricId", "unknown-metric", "指标“" + metricId + "”不属于案例 " + caseId + "；自定义指标须同时填写 metricName 和 unit",
                            "metric '" + metricId + "' is not a metric of case " + caseId + "; a district's own metric needs metricName and unit");
                }
                if (metric.isPresent()) {
                    name = null;
                    unit = null;
                }
            }
            if (caseId != null && metricId != null) {
                out.add(new MetricTarget(district, caseId, metricId, name, unit));
            }
        }
        return out;
    }

    private static String activeCase(ReportFields f, Catalog cat) {
        String caseId = f.text("caseId", true, 40);
        if (caseId == null) {
            return null;
        }
        if (cat.caseById(caseId).isEmpty()) {
            f.error("caseId", "unknown-case", "案例目录中没有“" + caseId + "”", "no case '" + caseId + "' in the catalog");
            return null;
        }
        if (!cat.isActive(caseId)) {
            f.error("caseId", "retired-case", "案例 " + caseId + " 已撤下", "case " + caseId + " is retired");
            return null;
        }
        return caseId;
    }
}
