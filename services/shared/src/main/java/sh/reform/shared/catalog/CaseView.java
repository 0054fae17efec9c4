package sh.reform.shared.catalog;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.catalog.OneNetworkSystem;
import sh.reform.schema.catalog.ReferenceValue;

/**
 * A case as the read API shows it: the catalog entry with district and domain names resolved
 * and times in Asia/Shanghai.
 */
public record CaseView(
        String caseId, String batchId, int year, int rank,
        String originDistrict, String originDistrictNameZh, String originDistrictNameEn,
        String leadAgency, String titleZh, String titleEn,
        String domain, String domainNameZh, String domainNameEn,
        String summaryZh, String summaryEn,
        List<String> oneNetwork, List<MeasureView> measures, List<MetricView> metrics,
        String state, int version, String changedBy, OffsetDateTime changedAt) {

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    public record MeasureView(String measureId, String nameZh, String nameEn, String descriptionZh) {
        static MeasureView of(CatalogMeasure m) {
            return new MeasureView(m.getMeasureId(), m.getNameZh(), m.getNameEn(), m.getDescriptionZh());
        }
    }

    public record MetricView(String metricId, String nameZh, String nameEn, String unit, String kind, List<ReferenceView> reference) {
        static MetricView of(CatalogMetric m) {
            return new MetricView(m.getMetricId(), m.getNameZh(), m.getNameEn(), m.getUnit(), m.getKind().name(),
                    m.getReference().stream().map(ReferenceView::of).toList());
        }
    }

    public record ReferenceView(double value, Double baseline, String qualifier, String changeKind, String period, String sourceDoc) {
        static ReferenceView of(ReferenceValue r) {
            return new ReferenceView(r.getValue(), r.getBaseline(), r.getQualifier().name(), r.getChangeKind().name(),
                    r.getPeriod(), r.getSourceDoc());
        }
    }

    public static CaseView of(CatalogCase c, Catalog catalog) {
        var origin = catalog.jurisdiction(c.getOriginDistrict());
        var domain = catalog.domain(c.getDomain());
        return new CaseView(c.getCaseId(), c.getBatchId(), c.getYear(), c.getRank(), c.getOriginDistrict(),
                origin.map(Jurisdiction::nameZh).orElse(null), origin.map(Jurisdiction::nameEn).orElse(null),
                c.getLeadAgency(), c.getTitleZh(), c.getTitleEn(), c.getDomain(),
                domain.map(d -> d.nameZh()).orElse(null), domain.map(d -> d.nameEn()).orElse(null),
                c.getSummaryZh(), c.getSummaryEn(),
                c.getOneNetwork().stream().map(OneNetworkSystem::name).toList(),
                c.getMeasures().stream().map(MeasureView::of).toList(),
                c.getMetrics().stream().map(MetricView::of).toList(),
                c.getState().name(), c.getVersion(), c.getChangedBy(),
                c.getChangedAt().atZone(SHANGHAI).toOffsetDateTime());
    }
}
