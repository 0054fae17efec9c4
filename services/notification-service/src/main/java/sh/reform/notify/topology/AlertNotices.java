package sh.reform.notify.topology;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.catalog.Jurisdiction;
import sh.reform.catalog.SeedCatalog;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.StatusAlert;
import sh.reform.schema.supervision.Audience;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.serde.AvroSerializer;
import sh.reform.shared.topics.Topics;

/**
 * Turns each health change of a cell (a {@link StatusAlert} on {@code reform.status-alerts}: the cell turned
 * green, yellow or red, with the rule's reason) into a notification for those who follow its case or district
 * (audience {@link Audience#FOLLOWERS}: nobody else is told by it), and hands it to {@link Intake} — the same
 * inbox, the same e-mail outbox, dropped by id when repeated. The notification's id is the alert's id, which the
 * fold derives from the cell, the time and the colour, so a replayed alert is the same notification.
 *
 * <p>The alerts topic is keyed and partitioned like the notifications topic, so an alert and the notifications of
 * its cell meet in the same task. An unreadable alert goes to {@code reform.status-alerts.dlq} with its reason.
 */
final class AlertNotices implements Processor<String, byte[], String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(AlertNotices.class);
    private static final Map<String, String[]> NAMES = names();

    private final AvroDeserializer reader;
    private final AvroSerializer writer;
    private ProcessorContext<String, byte[]> context;

    AlertNotices(AvroDeserializer reader, AvroSerializer writer) {
        this.reader = reader;
        this.writer = writer;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> r) {
        StatusAlert alert;
        try {
            Object o = r.value() == null ? null : reader.deserialize(Topics.STATUS_ALERTS.name(), r.value());
            if (!(o instanceof StatusAlert a)) {
                throw new IllegalArgumentException("not a StatusAlert: " + (o == null ? "null" : o.getClass().getName()));
            }
            alert = a;
        } catch (RuntimeException e) {
            Headers h = new RecordHeaders(r.headers().toArray());
            h.add(Intake.REASON, NotificationTopology.utf8("unreadable"));
            h.add(Intake.DETAIL, NotificationTopology.utf8(String.valueOf(e.getMessage())));
            log.warn("status alert to the dead-letter topic: {}", e.getMessage());
            context.forward(r.withHeaders(h), NotificationTopology.ALERTS_DLQ);
            return;
        }
        Notification n = of(alert);
        context.forward(r.withValue(writer.serialize(Topics.NOTIFICATIONS.name(), n)), NotificationTopology.INTAKE);
    }

    /** The followers' notification of a health change. */
    static Notification of(StatusAlert a) {
        String[] name = NAMES.getOrDefault(a.getDistrictCode(), new String[] {a.getDistrictCode(), a.getDistrictCode()});
        return Notification.newBuilder()
                .setNotificationId(a.getAlertId())
                .setKind(NotificationKind.HEALTH_CHANGED)
                .setCaseId(a.getCaseId())
                .setDistrictCode(a.getDistrictCode())
                .setAudience(Audience.FOLLOWERS)
                .setTitleZh("【预警变化】" + a.getCaseId() + " · " + name[0] + "：" + zh(a.getPreviousHealth()) + " → " + zh(a.getHealth()))
                .setTitleEn("[Health] " + a.getCaseId() + " · " + name[1] + ": " + en(a.getPreviousHealth()) + " → " + en(a.getHealth()))
                .setBodyZh("您关注的案例 " + a.getCaseId() + " 在" + name[0] + "的预警由" + zh(a.getPreviousHealth()) + "变为"
                        + zh(a.getHealth()) + "：" + a.getReasonZh())
                .setBodyEn("Case " + a.getCaseId() + " in " + name[1] + ", which you follow, turned from " + en(a.getPreviousHealth())
                        + " to " + en(a.getHealth()) + ": " + a.getReasonEn())
                .setCreatedAt(a.getRaisedAt())
                .setCauseEventId(null)
                .setDueDate(null)
                .setLevel(null)
                .build();
    }

    private static String zh(Health h) {
        return switch (h) {
            case RED -> "红灯";
            case YELLOW -> "黄灯";
            case GREEN -> "绿灯";
            default -> "未评估";
        };
    }

    private static String en(Health h) {
        return switch (h) {
            case RED -> "red";
            case YELLOW -> "yellow";
            case GREEN -> "green";
            default -> "not assessed";
        };
    }

    private static Map<String, String[]> names() {
        Map<String, String[]> out = new HashMap<>();
        for (Jurisdiction j : SeedCatalog.load().jurisdictions()) {
            out.put(j.code(), new String[] {j.nameZh(), j.nameEn()});
        }
        return out;
    }
}
