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
 * percentages within 0–100.
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
}
