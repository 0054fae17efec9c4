package sh.reform.dashboard.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The catalog-service's JSON views, as far as the dashboard's server reads them. */
public final class CatalogViews {

    private CatalogViews() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CaseEntry(String caseId, String batchId, int year, int rank, String originDistrict,
                            String originDistrictNameZh, String leadAgency, String titleZh, String titleEn,
                            String domain, String domainNameZh, String summaryZh, List<Measure> measures,
                            List<Metric> metrics, String state) {

        public boolean active() {
            return state == null || "ACTIVE".equals(state);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Measure(String measureId, String nameZh, String nameEn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metric(String metricId, String nameZh, String nameEn, String unit, String kind, List<Reference> reference) {

        /** The origin district's first stated figure, if any. */
        public Double referenceValue() {
            return reference == null || reference.isEmpty() ? null : reference.get(0).value();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reference(double value, String qualifier, String period) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Jurisdiction(String code, String level, String nameZh, String nameEn, String parent) {
    }
}
