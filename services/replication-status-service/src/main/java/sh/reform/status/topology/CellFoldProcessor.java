package sh.reform.status.topology;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;

import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.supervision.Notification;
import sh.reform.shared.cloudevents.CloudEventHeaders;
import sh.reform.shared.cloudevents.CloudEventHeaders.CloudEvent;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.status.fold.CellState;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.StatusFold;
import sh.reform.status.fold.SupervisionNotices;

/**
 * Applies each accepted event to its cell with {@link StatusFold}, evaluates health at the wall clock,
 * stores the new state and publishes the status (and, when the colour changed, an alert). Refused
 * records go to their topic's dead-letter topic. A wall-clock punctuator re-evaluates every cell of the
 * task, since silence alone turns a cell yellow or red.
 *
 * <p>A repeated event id publishes nothing: the fold would return the same state.
 */
final class CellFoldProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final URI SOURCE = URI.create("/reform/replication-status-service");
    private static final Map<String, Topic<?>> EVENT_TOPICS = Topics.EVENTS.stream()
            .collect(Collectors.toUnmodifiableMap(Topic::name, Function.identity()));

    private final StatusTopology.Settings settings;
    private final FoldMetrics metrics;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> cells;
    private VersionedKeyValueStore<String, byte[]> history;
    /** Whether this task's history store was checked for (and given) the versions of cells folded before it existed. */
    private boolean historyChecked;
    private ReportIntake intake;
    private StatusFold fold;
    private HealthRules rules;
    private SupervisionNotices notices;
    /** The calendar day of the last sweep: the rules count whole days, so colours only move at midnight. */
    private LocalDate lastSweep;

    CellFoldProcessor(StatusTopology.Settings settings, FoldMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.cells = context.getStateStore(StatusTopology.CELL_STATE_STORE);
        this.history = context.getStateStore(StatusTopology.CELL_HISTORY_STORE);
        KeyValueStore<String, byte[]> catalogStore = context.getStateStore(StatusTopology.CATALOG_STORE);
        CatalogCases catalog = new CatalogCases(catalogStore, settings.avroReader());
        this.intake = new ReportIntake(settings.avroReader(), catalog, settings.districts());
        this.rules = settings.rules();
        this.fold = new StatusFold(catalog, rules, settings.supervision());
        this.notices = settings.notices();
        context.schedule(settings.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Topic<?> topic = EVENT_TOPICS.get(source.topic());
        ReportIntake.Result result = intake.read(topic, record.key(), record.value());
        if (result instanceof ReportIntake.Rejected rejected) {
            deadLetter(topic, source, record, rejected);
            return;
        }
        ReportIntake.Accepted event = (ReportIntake.Accepted) result;
        byte[] stored = cells.get(event.cellKey());
        CellState before = stored == null
                ? CellState.empty(event.envelope().getCaseId(), event.envelope().getDistrictCode())
                : CellState.fromBytes(stored);
        if (before.contains(event.envelope().getEventId())) {
            metrics.duplicate(topic.name());
            return;
        }
        CellState applied;
        try {
            applied = fold.applyHandedOver(before, event.event()); // decoded for this record alone
        } catch (IllegalArgumentException e) {
            deadLetter(topic, source, record, new ReportIntake.Rejected(ReportIntake.NOT_APPLICABLE, e.getMessage()));
            return;
        }
        Instant now = now();
        StatusFold.Evaluated evaluated = fold.evaluateNoting(applied, now);
        CellState after = evaluated.state();
        CellState.Encoded encoded = after.encode();
        cells.put(event.cellKey(), encoded.bytes());
        writeHistory(event.cellKey(), fold.versionsAfterApply(applied, event.envelope().getOccurredAt()));
        metrics.applied(topic.name());
        publish(before, after, encoded, record.timestamp(), "event");
        notify(after, notices.forEvent(after.status(), event.event()), record.timestamp());
        notify(after, notices.forMarks(after.status(), evaluated.newMarks(), now), record.timestamp());
    }

    /**
     * Re-evaluates every cell at the clock's now (the punctuation only says when to look: the injectable clock
     * says what time it is); publishes those whose health or supervision state changed, and produces the
     * reminders and escalations crossed. Health rules and due dates count whole days, so a cell only changes
     * when the calendar day does: one sweep per day.
     */
    private void sweep(long wallClockMs) {
        if (!historyChecked) {
            backfillHistory();
            historyChecked = true;
        }
        Instant now = now();
        // Records carry the stream's wall clock, never the evaluation clock: a broker refuses timestamps far ahead
        // of its own time (message.timestamp.after.max.ms), and a test clock may be days ahead.
        long timestamp = wallClockMs;
        LocalDate today = LocalDate.ofInstant(now, rules.zone());
        if (today.equals(lastSweep)) {
            return;
        }
        // Collected first, written after: no writes into the store under an open iterator.
        List<KeyValue<CellState, StatusFold.Evaluated>> changed = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = cells.all()) {
            while (it.hasNext()) {
                CellState before = CellState.fromBytes(it.next().value);
                StatusFold.Evaluated evaluated = fold.evaluateNoting(before, now);
                ReplicationStatus b = before.status();
                ReplicationStatus a = evaluated.state().status();
                if (b.getHealth() != a.getHealth() || !b.getHealthRules().equals(a.getHealthRules())
                        || !evaluated.newMarks().isEmpty() || supervisionMoved(b, a)) {
                    changed.add(KeyValue.pair(before, evaluated));
                }
            }
        }
        for (KeyValue<CellState, StatusFold.Evaluated> c : changed) {
            CellState after = c.value.state();
            CellState.Encoded encoded = after.encode();
            cells.put(after.key(), encoded.bytes());
            publish(c.key, after, encoded, timestamp, "health");
            notify(after, notices.forMarks(after.status(), c.value.newMarks(), now), timestamp);
        }
        lastSweep = today;
    }

    /** Versions of one cell's history, each at its occurred-at. */
    private void writeHistory(String cellKey, List<StatusFold.Version> versions) {
        for (StatusFold.Version v : versions) {
            history.put(cellKey, CellState.encodeStatus(v.status()), v.at().toEpochMilli());
        }
    }

    /** Marks a task's history store as holding every cell's versions (a key no cell can have). */
    static final String HISTORY_BUILT = "\u0000history-built";

    /**
     * The upgrade path from a service that kept no history: on the first sweep of a task whose history store lacks
     * the mark, every cell of the task's cell-state store gets all its versions, derived from the events the cell
     * state keeps; then the mark is written. Idempotent (the same versions are written again) and done once per
     * task's store (the mark travels in the changelog). A new store (empty cell states) is marked at once.
     */
    private void backfillHistory() {
        if (history.get(HISTORY_BUILT) != null) {
            return;
        }
        try (KeyValueIterator<String, byte[]> it = cells.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                writeHistory(kv.key, fold.versionsFrom(CellState.fromBytes(kv.value), null));
            }
        }
        history.put(HISTORY_BUILT, new byte[] {1}, 0L);
    }

    private int statusSchemaId = -1;

    /** The status schema's registry id, looked up (or registered) once per processor, at the first status published. */
    private int statusSchemaId() {
        if (statusSchemaId < 0) {
            statusSchemaId = StatusTopology.statusSchemaId(settings);
        }
        return statusSchemaId;
    }

    /** The configured clock's now, or the stream's wall clock. */
    private Instant now() {
        return settings.clock() == null ? Instant.ofEpochMilli(context.currentSystemTimeMs()) : settings.clock().instant();
    }

    /** Whether the clock moved the cell's supervision state: its deadline, days to due, or an urge's level. */
    static boolean supervisionMoved(ReplicationStatus before, ReplicationStatus after) {
        SupervisionState b = before.getSupervision();
        SupervisionState a = after.getSupervision();
        if (b == null || a == null) {
            return b != a;
        }
        if (b.getDeadline() != a.getDeadline() || !java.util.Objects.equals(b.getDaysToDue(), a.getDaysToDue())
                || b.getUrges().size() != a.getUrges().size()) {
            return true;
        }
        for (int i = 0; i < b.getUrges().size(); i++) {
            if (b.getUrges().get(i).getLevel() != a.getUrges().get(i).getLevel()) {
                return true;
            }
        }
        return false;
    }

    /** Produces notifications, within the task's exactly-once transaction, keyed by the cell. */
    private void notify(CellState cell, List<Notification> produced, long timestamp) {
        for (Notification n : produced) {
            context.forward(new Record<Object, Object>(cell.key(), n, timestamp,
                    cloudEvent(n.getNotificationId(), Topics.NOTIFICATIONS, n.getCreatedAt(), cell.key())),
                    StatusTopology.NOTIFICATION_SINK);
            metrics.notification(n.getKind().name());
        }
    }

    private void publish(CellState before, CellState after, CellState.Encoded encoded, long timestamp, String cause) {
        ReplicationStatus status = after.status();
        String key = after.key();
        String statusId = UUID.nameUUIDFromBytes((key + "|" + status.getEventCount() + "|"
                + status.getEvaluatedAt().toEpochMilli()).getBytes(StandardCharsets.UTF_8)).toString();
        // The status bytes already encoded for the store, in the registry's wire format: not encoded a second time.
        context.forward(new Record<Object, Object>(key, encoded.statusWire(statusSchemaId()), timestamp,
                cloudEvent(statusId, Topics.REPLICATION_STATUS, status.getEvaluatedAt(), key)), StatusTopology.STATUS_SINK);
        metrics.statusChanged(cause);
        fold.alert(before, after).ifPresent(alert -> {
            context.forward(new Record<Object, Object>(key, alert, timestamp,
                    cloudEvent(alert.getAlertId(), Topics.STATUS_ALERTS, alert.getRaisedAt(), key)), StatusTopology.ALERT_SINK);
            metrics.alert(alert.getHealth().name());
        });
    }

    private static Headers cloudEvent(String id, Topic<?> topic, Instant time, String subject) {
        Headers headers = new RecordHeaders();
        CloudEventHeaders.write(headers, new CloudEvent(id, SOURCE, topic.cloudEventType(), time, subject, null));
        return headers;
    }

    private void deadLetter(Topic<?> topic, RecordMetadata source, Record<byte[], byte[]> record, ReportIntake.Rejected why) {
        Headers headers = DeadLetter.headers(record.headers(), why, source.topic(), source.partition(), source.offset());
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
                StatusTopology.deadLetterSink(topic));
        metrics.deadLettered(topic.name(), why.reason());
    }
}
