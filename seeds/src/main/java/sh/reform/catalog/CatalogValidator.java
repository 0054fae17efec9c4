package sh.reform.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.catalog.ChangeKind;
import sh.reform.schema.catalog.MetricKind;
import sh.reform.schema.catalog.ReferenceValue;

/**
 * The catalog's rules, checked the same way for the seed files at build time and for the city
 * office's API at run time: ids well formed and unique, the origin a known district, the domain
 * in the vocabulary, ranks unique within a batch, every measure named, every metric with a unit,
 * percentages within 0–100, and every figure in a scaled unit (万/千/亿, e.g. "2.5 万批") held also
 * in its base unit (25000 批): the metric names the base unit, each value carries its base value.
 */
public final class CatalogValidator {

    static final Pattern CASE_ID = Pattern.compile("[A-Z]{2,8}-\\d{4}-\\d{2,4}");

    private CatalogValidator() {
    }

    /**
     * Checks {@code batch} (new or amended cases of one batch) against the {@code existing} catalog.
     *
     * @param paths the field path of each case, for the messages (e.g. {@code cases[2]})
     * @param replacing true when the cases may replace existing ones with the same id (amendment)
     */
    public static List<FieldError> validate(Catalog existing, List<CatalogCase> batch, List<String> paths, boolean replacing) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, String> rankOwner = new HashMap<>();
        for (CatalogCase c : existing.cases()) {
            if (!replacing || batch.stream().noneMatch(b -> b.getCaseId().equals(c.getCaseId()))) {
                rankOwner.put(c.getBatchId() + "#" + c.getRank(), c.getCaseId());
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            CatalogCase c = batch.get(i);
            String p = paths.get(i);
            if (!CASE_ID.matcher(c.getCaseId()).matches()) {
                errors.add(new FieldError(p + ".id", "format", "案例编号“" + c.getCaseId() + "”格式不对，应如 SH-2024-01",
                        "case id '" + c.getCaseId() + "' is malformed; expected e.g. SH-2024-01"));
            }
            if (!ids.add(c.getCaseId())) {
                errors.add(new FieldError(p + ".id", "duplicate", "案例编号“" + c.getCaseId() + "”在本批中重复",
                        "case id '" + c.getCaseId() + "' appears twice in this batch"));
            } else if (!replacing && existing.caseById(c.getCaseId()).isPresent()) {
                errors.add(new FieldError(p + ".id", "duplicate", "案例编号“" + c.getCaseId() + "”已存在于目录中",
                        "case id '" + c.getCaseId() + "' already exists in the catalog"));
            }
            if (c.getRank() < 1) {
                errors.add(new FieldError(p + ".rank", "range", "排名应为正整数", "rank must be a positive integer"));
            } else {
                String owner = rankOwner.putIfAbsent(c.getBatchId() + "#" + c.getRank(), c.getCaseId());
                if (owner != null && !owner.equals(c.getCaseId())) {
                    errors.add(new FieldError(p + ".rank", "duplicate", "批次 " + c.getBatchId() + " 中排名 " + c.getRank() + " 已属于 " + owner,
                            "rank " + c.getRank() + " of batch " + c.getBatchId() + " already belongs to " + owner));
                }
            }
            if (!existing.isReportingDistrict(c.getOriginDistrict())) {
                errors.add(new FieldError(p + ".originDistrict", "unknown-district",
                        "未知的区代码“" + c.getOriginDistrict() + "”（应为 GB/T 2260 区代码，如 310116 金山区）",
                        "unknown district code '" + c.getOriginDistrict() + "' (expected a GB/T 2260 district code, e.g. 310116)"));
            }
            if (existing.domain(c.getDomain()).isEmpty()) {
                errors.add(new FieldError(p + ".domain", "unknown-domain", "未知的领域“" + c.getDomain() + "”",
                        "unknown domain '" + c.getDomain() + "'"));
            }
            Set<String> measureIds = new HashSet<>();
            for (int j = 0; j < c.getMeasures().size(); j++) {
                CatalogMeasure m = c.getMeasures().get(j);
                String mp = p + ".measures[" + j + "]";
                if (!m.getMeasureId().startsWith(c.getCaseId() + "-")) {
                    errors.add(new FieldError(mp + ".id", "format", "举措编号应以案例编号开头：" + c.getCaseId() + "-M1",
                            "measure id must start with the case id, e.g. " + c.getCaseId() + "-M1"));
                }
                if (!measureIds.add(m.getMeasureId())) {
                    errors.add(new FieldError(mp + ".id", "duplicate", "举措编号重复：" + m.getMeasureId(), "duplicate measure id " + m.getMeasureId()));
                }
            }
            for (int j = 0; j < c.getMetrics().size(); j++) {
                CatalogMetric k = c.getMetrics().get(j);
                String kp = p + ".metrics[" + j + "]";
                if (!k.getMetricId().startsWith(c.getCaseId() + "-")) {
                    errors.add(new FieldError(kp + ".id", "format", "指标编号应以案例编号开头：" + c.getCaseId() + "-K1",
                            "metric id must start with the case id, e.g. " + c.getCaseId() + "-K1"));
                }
                if (!measureIds.add(k.getMetricId())) {
                    errors.add(new FieldError(kp + ".id", "duplicate", "指标编号重复：" + k.getMetricId(), "duplicate metric id " + k.getMetricId()));
                }
                errors.addAll(unitErrors(k, kp));
                if (k.getKind() == MetricKind.PERCENT) {
                    for (int r = 0; r < k.getReference().size(); r++) {
                        ReferenceValue v = k.getReference().get(r);
                        boolean level = v.getChangeKind() == ChangeKind.LEVEL || v.getChangeKind() == ChangeKind.FROM_TO;
                        if (level && (v.getValue() < 0 || v.getValue() > 100)) {
                            errors.add(new FieldError(kp + ".reference[" + r + "].value", "range", "百分比应在 0–100 之间",
                                    "a percentage must lie within 0–100"));
                        }
                    }
                }
            }
        }
        return errors;
    }

    /**
     * A metric needs a unit; a metric in a scaled unit (万/千/亿) needs its base unit, and each of
     * its values the base value that the scale gives (baseline likewise); an unscaled metric carries
     * neither, so no figure is held twice in disagreeing forms.
     */
    static List<FieldError> unitErrors(CatalogMetric k, String kp) {
        List<FieldError> errors = new ArrayList<>();
        String unit = k.getUnit();
        if (unit == null || unit.isBlank()) {
            errors.add(new FieldError(kp + ".unit", "required", "指标缺少单位：" + k.getMetricId(),
                    "metric " + k.getMetricId() + " has no unit"));
            return errors;
        }
        UnitScale scale = UnitScale.of(unit).orElse(null);
        if (scale == null) {
            if (k.getBaseUnit() != null) {
                errors.add(new FieldError(kp + ".baseUnit", "unscaled-unit", "单位“" + unit + "”不带万/千/亿，不应填写基本单位",
                        "unit '" + unit + "' is not scaled by 万/千/亿, so it takes no baseUnit"));
            }
            for (int r = 0; r < k.getReference().size(); r++) {
                ReferenceValue v = k.getReference().get(r);
                if (v.getBaseValue() != null || v.getBaseBaseline() != null) {
                    errors.add(new FieldError(kp + ".reference[" + r + "].baseValue", "unscaled-unit",
                            "单位“" + unit + "”不带万/千/亿，不应填写基本单位数值",
                            "unit '" + unit + "' is not scaled by 万/千/亿, so its values take no baseValue"));
                }
            }
            return errors;
        }
        if (k.getBaseUnit() == null || k.getBaseUnit().isBlank()) {
            errors.add(new FieldError(kp + ".baseUnit", "base-unit-missing",
                    "单位“" + unit + "”带数量级，须注明基本单位“" + scale.baseUnit() + "”",
                    "unit '" + unit + "' is scaled; baseUnit '" + scale.baseUnit() + "' is required"));
        } else if (!k.getBaseUnit().strip().equals(scale.baseUnit())) {
            errors.add(new FieldError(kp + ".baseUnit", "base-unit-mismatch",
                    "单位“" + unit + "”的基本单位应为“" + scale.baseUnit() + "”，而不是“" + k.getBaseUnit() + "”",
                    "the base unit of '" + unit + "' is '" + scale.baseUnit() + "', not '" + k.getBaseUnit() + "'"));
        }
        for (int r = 0; r < k.getReference().size(); r++) {
            ReferenceValue v = k.getReference().get(r);
            String rp = kp + ".reference[" + r + "]";
            check(errors, rp + ".baseValue", unit, scale, v.getValue(), v.getBaseValue());
            if (v.getBaseline() != null) {
                check(errors, rp + ".baseBaseline", unit, scale, v.getBaseline(), v.getBaseBaseline());
            } else if (v.getBaseBaseline() != null) {
                errors.add(new FieldError(rp + ".baseBaseline", "unexpected", "未注明基线，不应填写基线的基本单位数值",
                        "there is no baseline, so there is no baseBaseline"));
            }
        }
        return errors;
    }

    private static void check(List<FieldError> errors, String field, String unit, UnitScale scale, double value, Double base) {
        String expected = plain(scale.toBase(value)) + " " + scale.baseUnit();
        if (base == null) {
            errors.add(new FieldError(field, "base-value-missing",
                    plain(value) + " " + unit + " 须同时以基本单位给出（" + expected + "）",
                    plain(value) + " " + unit + " must also be given in the base unit (" + expected + ")"));
        } else if (!scale.matches(value, base)) {
            errors.add(new FieldError(field, "base-value-mismatch",
                    plain(value) + " " + unit + " 折合 " + expected + "，而不是 " + plain(base),
                    plain(value) + " " + unit + " is " + expected + ", not " + plain(base)));
        }
    }

    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
