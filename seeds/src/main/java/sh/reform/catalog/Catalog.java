package sh.reform.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import sh.reform.schema.catalog.CaseState;
import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.schema.catalog.CatalogMetric;

/**
 * An immutable snapshot of the catalog: jurisdictions, domains, batches and cases. Services hold
 * the latest snapshot and swap it whole when the catalog topic brings a change, so a lookup never
 * sees half an update.
 */
public final class Catalog {

    private final Map<String, Jurisdiction> jurisdictions;
    private final Map<String, Domain> domains;
    private final Map<String, CatalogBatch> batches;
    private final Map<String, CatalogCase> cases;

    public Catalog(Collection<Jurisdiction> jurisdictions, Collection<Domain> domains,
                   Collection<CatalogBatch> batches, Collection<CatalogCase> cases) {
        this.jurisdictions = index(jurisdictions, Jurisdiction::code);
        this.domains = index(domains, Domain::code);
        this.batches = index(batches, CatalogBatch::getBatchId);
        this.cases = index(cases, CatalogCase::getCaseId);
    }

    private static <T> Map<String, T> index(Collection<T> items, java.util.function.Function<T, String> key) {
        Map<String, T> m = new LinkedHashMap<>();
        items.forEach(i -> m.put(key.apply(i), i));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** A snapshot with this case added or replaced. */
    public Catalog withCase(CatalogCase c) {
        Map<String, CatalogCase> m = new LinkedHashMap<>(cases);
        m.put(c.getCaseId(), c);
        return new Catalog(jurisdictions.values(), domains.values(), batches.values(), m.values());
    }

    /** A snapshot with this batch added or replaced. */
    public Catalog withBatch(CatalogBatch b) {
        Map<String, CatalogBatch> m = new LinkedHashMap<>(batches);
        m.put(b.getBatchId(), b);
        return new Catalog(jurisdictions.values(), domains.values(), m.values(), cases.values());
    }

    public Optional<CatalogCase> caseById(String caseId) {
        return Optional.ofNullable(caseId == null ? null : cases.get(caseId));
    }

    public boolean isActive(String caseId) {
        return caseById(caseId).map(c -> c.getState() == CaseState.ACTIVE).orElse(false);
    }

    public Optional<CatalogMeasure> measure(String caseId, String measureId) {
        return caseById(caseId).flatMap(c -> c.getMeasures().stream().filter(m -> m.getMeasureId().equals(measureId)).findFirst());
    }

    public Optional<CatalogMetric> metric(String caseId, String metricId) {
        return caseById(caseId).flatMap(c -> c.getMetrics().stream().filter(m -> m.getMetricId().equals(metricId)).findFirst());
    }

    public Optional<Jurisdiction> jurisdiction(String code) {
        return Optional.ofNullable(code == null ? null : jurisdictions.get(code));
    }

    /** The unit can report events (a district/county that exists). */
    public boolean isReportingDistrict(String code) {
        return jurisdiction(code).map(Jurisdiction::reports).orElse(false);
    }

    public List<Jurisdiction> districts() {
        return jurisdictions.values().stream().filter(Jurisdiction::reports).toList();
    }

    public Collection<Jurisdiction> jurisdictions() {
        return jurisdictions.values();
    }

    public Optional<Domain> domain(String code) {
        return Optional.ofNullable(code == null ? null : domains.get(code));
    }

    public Collection<Domain> domains() {
        return domains.values();
    }

    public Optional<CatalogBatch> batch(String batchId) {
        return Optional.ofNullable(batchId == null ? null : batches.get(batchId));
    }

    public Collection<CatalogBatch> batches() {
        return batches.values();
    }

    public Collection<CatalogCase> cases() {
        return cases.values();
    }

    public List<CatalogCase> casesOf(String batchId) {
        return cases.values().stream().filter(c -> c.getBatchId().equals(batchId))
                .sorted(java.util.Comparator.comparingInt(CatalogCase::getRank)).toList();
    }
}
