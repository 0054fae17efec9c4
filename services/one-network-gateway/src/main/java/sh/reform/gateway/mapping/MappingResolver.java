package sh.reform.gateway.mapping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import sh.reform.gateway.mapping.Mapping.MeasureTarget;
import sh.reform.gateway.mapping.Mapping.MetricTarget;
import sh.reform.gateway.reporting.Report;
import tools.jackson.databind.node.ObjectNode;

/**
 * Completes pending reports with the current mappings: a service item becomes one rollout report
 * for its measure, a figure one outcome report per metric mapped for the district. What maps to
 * nothing comes back as unmapped, for the review queue. A pure function of the pending reports
 * and the mappings it is given.
 */
public final class MappingResolver {

    private MappingResolver() {
    }

    /** The reports the mappings give, and the pending reports nothing maps. */
    public record Resolution(List<Report> reports, List<PendingReport> unmapped) {
    }

    /** Looks a mapping up by kind and key. */
    public interface Mappings {
        Optional<Mapping> find(MappingKind kind, String key);
    }

    public static Resolution resolve(List<PendingReport> pending, Mappings mappings) {
        List<Report> reports = new ArrayList<>();
        List<PendingReport> unmapped = new ArrayList<>();
        for (PendingReport p : pending) {
            Optional<Mapping> m = mappings.find(p.kind(), p.key());
            List<Report> made = m.map(x -> reportsOf(p, x)).orElse(List.of());
            if (made.isEmpty()) {
                unmapped.add(p);
            } else {
                reports.addAll(made);
            }
        }
        return new Resolution(reports, unmapped);
    }

    static List<Report> reportsOf(PendingReport p, Mapping m) {
        if (p.kind() == MappingKind.SERVICE_ITEM) {
            MeasureTarget t = m.measure();
            if (t == null) {
                return List.of();
            }
            ObjectNode body = base(p, eventId(p.eventSeed()), t.caseId());
            body.put("measureId", t.measureId());
            return List.of(new Report(p.kind().service(), body, p.districtCode() + " " + t.caseId() + "/" + t.measureId() + " ← " + p.label()));
        }
        List<Report> out = new ArrayList<>();
        for (MetricTarget t : m.metricsFor(p.districtCode())) {
            ObjectNode body = base(p, eventId(p.eventSeed() + "|" + t.caseId() + "|" + t.metricId()), t.caseId());
            body.put("metricId", t.metricId());
            if (t.metricName() != null) {
                body.put("metricName", t.metricName());
            }
            if (t.unit() != null) {
                body.put("unit", t.unit());
            }
            out.add(new Report(p.kind().service(), body, p.districtCode() + " " + t.caseId() + "/" + t.metricId() + " ← " + p.label()));
        }
        return out;
    }

    private static ObjectNode base(PendingReport p, String eventId, String caseId) {
        ObjectNode body = p.fields().deepCopy();
        body.put("eventId", eventId);
        body.put("caseId", caseId);
        body.put("districtCode", p.districtCode());
        body.put("source", p.source());
        return body;
    }

    /** The event id of a report made from a one-network message: the same message always gives the same id. */
    public static String eventId(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
