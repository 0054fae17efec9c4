package sh.reform.gateway.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.MetricStatus;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;
import sh.reform.schema.supervision.Notification;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns records of the status topics into changes for subscribers: what kinds of change a new
 * status is against the cell's previous one, and the CloudEvent (structured JSON mode) that tells
 * it. Pure functions; the CloudEvent id is derived from the record's topic, partition and offset,
 * so a change redelivered after a restart carries the same id.
 */
final class StatusChanges {

    static final String SOURCE = "/sh.reform/replication-status-service";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StatusChanges() {
    }

    /** What is compared between two versions of a cell. */
    record Digest(String decision, String overallStage, String health, Map<String, String> measures, Map<String, String> metrics) {

        static Digest of(ReplicationStatus s) {
            Map<String, String> measures = new TreeMap<>();
            for (MeasureStatus m : s.getMeasures()) {
                measures.put(m.getMeasureId(), m.getStage() + "|" + (m.getCoverage() == null ? "" : m.getCoverage().getCovered() + "/" + m.getCoverage().getTotal())
                        + "|" + m.getServiceItemCode() + "|" + m.getPlanned());
            }
            Map<String, String> metrics = new TreeMap<>();
            for (MetricStatus m : s.getMetrics()) {
                metrics.put(m.getMetricId() + "@" + m.getPeriod(), m.getValue() + m.getUnit());
            }
            return new Digest(String.valueOf(s.getDecision()), s.getOverallStage().name(), s.getHealth().name(), measures, metrics);
        }
    }

    /** The kinds of change from {@code before} (null: the cell is new) to {@code after}. */
    static Set<ChangeKind> kinds(Digest before, Digest after) {
        Set<ChangeKind> k = EnumSet.noneOf(ChangeKind.class);
        if (before == null || !Objects.equals(before.decision(), after.decision()) || !before.overallStage().equals(after.overallStage())) {
            k.add(ChangeKind.STAGE);
        }
        if (before == null ? !after.measures().isEmpty() : !before.measures().equals(after.measures())) {
            k.add(ChangeKind.MEASURE);
        }
        if (before == null ? !"UNKNOWN".equals(after.health()) : !before.health().equals(after.health())) {
            k.add(ChangeKind.HEALTH);
        }
        if (before == null ? !after.metrics().isEmpty() : !before.metrics().equals(after.metrics())) {
            k.add(ChangeKind.METRIC);
        }
        return k;
    }

    static String eventId(String topic, int partition, long offset) {
        return UUID.nameUUIDFromBytes((topic + "|" + partition + "|" + offset).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static StatusChange statusChanged(ReplicationStatus s, Set<ChangeKind> kinds, Digest before, String id, Instant time) {
        ObjectNode data = JSON.createObjectNode();
        data.put("caseId", s.getCaseId());
        data.put("districtCode", s.getDistrictCode());
        ArrayNode changes = data.putArray("changes");
        kinds.forEach(k -> changes.add(k.name().toLowerCase(java.util.Locale.ROOT)));
        if (before != null) {
            ObjectNode prev = data.putObject("previous");
            prev.put("decision", "null".equals(before.decision()) ? null : before.decision());
            prev.put("overallStage", before.overallStage());
            prev.put("health", before.health());
        }
        data.put("decision", s.getDecision() == null ? null : s.getDecision().name());
        data.put("leadAgency", s.getLeadAgency());
        data.put("targetDate", s.getTargetDate() == null ? null : s.getTargetDate().toString());
        data.put("overallStage", s.getOverallStage().name());
        data.put("measuresLive", s.getMeasuresLive());
        data.put("measuresPlanned", s.getMeasuresPlanned());
        ArrayNode measures = data.putArray("measures");
        for (MeasureStatus m : s.getMeasures()) {
            ObjectNode n = measures.addObject();
            n.put("measureId", m.getMeasureId());
            n.put("planned", m.getPlanned());
            n.put("stage", m.getStage() == null ? null : m.getStage().name());
            if (m.getCoverage() != null) {
                n.putObject("coverage").put("covered", m.getCoverage().getCovered()).put("total", m.getCoverage().getTotal())
                        .put("unit", m.getCoverage().getUnit());
            }
            n.put("serviceItemCode", m.getServiceItemCode());
            n.put("effectiveDate", m.getEffectiveDate() == null ? null : m.getEffectiveDate().toString());
            n.put("firstLiveAt", m.getFirstLiveAt() == null ? null : m.getFirstLiveAt().toString());
            n.put("changedAt", m.getChangedAt() == null ? null : m.getChangedAt().toString());
        }
        ArrayNode metrics = data.putArray("metrics");
        for (MetricStatus m : s.getMetrics()) {
            metrics.addObject().put("metricId", m.getMetricId()).put("period", m.getPeriod()).put("value", m.getValue())
                    .put("unit", m.getUnit()).put("reportedAt", m.getReportedAt().toString());
        }
        data.put("health", s.getHealth().name());
        ArrayNode rules = data.putArray("healthRules");
        s.getHealthRules().forEach(rules::add);
        data.put("eventCount", s.getEventCount());
        data.put("lastReportAt", s.getLastReportAt() == null ? null : s.getLastReportAt().toString());
        data.put("evaluatedAt", s.getEvaluatedAt().toString());
        String cell = Topic.cellKey(s.getCaseId(), s.getDistrictCode());
        return new StatusChange(cell, s.getCaseId(), s.getDistrictCode(), kinds, id,
                envelope(id, Topics.REPLICATION_STATUS.cloudEventType(), time, cell, data));
    }

    static StatusChange alert(StatusAlert a, String id, Instant time) {
        ObjectNode data = JSON.createObjectNode();
        data.put("alertId", a.getAlertId());
        data.put("caseId", a.getCaseId());
        data.put("districtCode", a.getDistrictCode());
        data.put("previousHealth", a.getPreviousHealth().name());
        data.put("health", a.getHealth().name());
        data.put("rule", a.getRule());
        data.put("reasonZh", a.getReasonZh());
        data.put("reasonEn", a.getReasonEn());
        data.put("raisedAt", a.getRaisedAt().toString());
        String cell = Topic.cellKey(a.getCaseId(), a.getDistrictCode());
        return new StatusChange(cell, a.getCaseId(), a.getDistrictCode(), EnumSet.of(ChangeKind.HEALTH), id,
                envelope(id, Topics.STATUS_ALERTS.cloudEventType(), time, cell, data));
    }

    /**
     * A supervision notification as a CloudEvent of type {@code sh.reform.notification.v1}; its id is the
     * notification's id (derived from its cause), so a receiver deduplicates repeats and redeliveries on it.
     */
    static StatusChange notification(Notification n, Instant time) {
        ObjectNode data = JSON.createObjectNode();
        data.put("notificationId", n.getNotificationId());
        data.put("kind", n.getKind().name());
        data.put("caseId", n.getCaseId());
        data.put("districtCode", n.getDistrictCode());
        data.put("audience", n.getAudience().name());
        data.put("titleZh", n.getTitleZh());
        data.put("titleEn", n.getTitleEn());
        data.put("bodyZh", n.getBodyZh());
        data.put("bodyEn", n.getBodyEn());
        data.put("createdAt", n.getCreatedAt().toString());
        data.put("causeEventId", n.getCauseEventId());
        data.put("dueDate", n.getDueDate() == null ? null : n.getDueDate().toString());
        data.put("level", n.getLevel() == null ? null : n.getLevel().name());
        String cell = Topic.cellKey(n.getCaseId(), n.getDistrictCode());
        return new StatusChange(cell, n.getCaseId(), n.getDistrictCode(), EnumSet.of(ChangeKind.NOTIFICATION), n.getNotificationId(),
                envelope(n.getNotificationId(), Topics.NOTIFICATIONS.cloudEventType(), time, cell, data));
    }

    /** CloudEvents 1.0, structured content mode (JSON event format). */
    private static String envelope(String id, String type, Instant time, String subject, ObjectNode data) {
        ObjectNode ce = JSON.createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", id);
        ce.put("source", SOURCE);
        ce.put("type", type);
        ce.put("time", time.toString());
        ce.put("subject", subject);
        ce.put("datacontenttype", "application/json");
        ce.set("data", data);
        return JSON.writeValueAsString(ce);
    }
}
