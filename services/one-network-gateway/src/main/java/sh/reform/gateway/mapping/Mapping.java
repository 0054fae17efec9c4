package sh.reform.gateway.mapping;

import java.time.Instant;
import java.util.List;

/**
 * One mapping the city office maintains, versioned: each change adds one to the version and
 * records who made it and when. A service item maps to one measure of a case; a figure or an
 * indicator maps to metrics, either for all districts ({@code districtCode = "*"}) or for one.
 */
public record Mapping(MappingKind kind, String key, int version, String changedBy, Instant changedAt, String note,
                      MeasureTarget measure, List<MetricTarget> metrics) {

    public static final String ALL_DISTRICTS = "*";

    public Mapping {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /** The measure a service item carries. */
    public record MeasureTarget(String caseId, String measureId) {
    }

    /**
     * A metric a figure is reported as. {@code metricName} and {@code unit} are for a metric the
     * catalog does not list (a district's own), as the outcome API requires.
     */
    public record MetricTarget(String districtCode, String caseId, String metricId, String metricName, String unit) {

        public MetricTarget {
            districtCode = districtCode == null || districtCode.isBlank() ? ALL_DISTRICTS : districtCode;
        }

        boolean appliesTo(String district) {
            return ALL_DISTRICTS.equals(districtCode) || districtCode.equals(district);
        }
    }

    static String storeKey(MappingKind kind, String key) {
        return kind.name() + "/" + key;
    }

    /** The metrics this mapping gives a district's figure: the all-district ones and the district's own. */
    public List<MetricTarget> metricsFor(String district) {
        return metrics.stream().filter(m -> m.appliesTo(district)).distinct().toList();
    }
}
