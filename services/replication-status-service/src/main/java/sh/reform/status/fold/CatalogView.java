package sh.reform.status.fold;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.schema.catalog.CatalogMetric;

/**
 * What the fold needs to know about the published cases: each case's measures in catalog order
 * (the default plan) and each metric's reference value and unit (shown beside reported values).
 */
public interface CatalogView {

    /** The case as the catalog last published it; empty for a case the catalog does not know. */
    Optional<CaseInfo> caseInfo(String caseId);

    /**
     * An immutable view of the given cases. When a case appears more than once (several
     * versions), the highest version wins; among equal versions, the later one in the list.
     */
    static CatalogView of(List<CatalogCase> cases) {
        Map<String, CatalogCase> latest = new LinkedHashMap<>();
        for (CatalogCase c : cases) {
            latest.merge(c.getCaseId(), c, (held, next) -> next.getVersion() >= held.getVersion() ? next : held);
        }
        Map<String, CaseInfo> infos = latest.values().stream()
                .map(CaseInfo::of)
                .collect(Collectors.toUnmodifiableMap(CaseInfo::caseId, Function.identity()));
        return caseId -> Optional.ofNullable(infos.get(caseId));
    }

    /** A catalog that knows no case: every plan then comes from the adoption and the rollouts alone. */
    static CatalogView empty() {
        return caseId -> Optional.empty();
    }

    /** One published case, reduced to what the status needs. */
    record CaseInfo(String caseId, List<String> measureIds, List<MetricInfo> metrics) {

        public CaseInfo {
            Objects.requireNonNull(caseId, "caseId");
            measureIds = List.copyOf(measureIds);
            metrics = List.copyOf(metrics);
        }

        static CaseInfo of(CatalogCase c) {
            List<String> measureIds = c.getMeasures().stream().map(CatalogMeasure::getMeasureId).toList();
            List<MetricInfo> metrics = new ArrayList<>();
            for (CatalogMetric m : c.getMetrics()) {
                Double reference = m.getReference().isEmpty() ? null : m.getReference().get(0).getValue();
                metrics.add(new MetricInfo(m.getMetricId(), reference, m.getUnit()));
            }
            return new CaseInfo(c.getCaseId(), measureIds, metrics);
        }

        /** The catalog metric with this id, if the case lists it. */
        public Optional<MetricInfo> metric(String metricId) {
            return metrics.stream().filter(m -> m.metricId().equals(metricId)).findFirst();
        }

        /** Position of a measure in catalog order, for listing measures the way the case lists them. */
        Comparator<String> measureOrder() {
            return Comparator.<String>comparingInt(id -> {
                int i = measureIds.indexOf(id);
                return i < 0 ? Integer.MAX_VALUE : i;
            }).thenComparing(Comparator.naturalOrder());
        }
    }

    /**
     * A metric of a case.
     *
     * @param referenceValue the origin district's first stated figure, or null when it stated none
     */
    record MetricInfo(String metricId, Double referenceValue, String unit) {
    }
}
