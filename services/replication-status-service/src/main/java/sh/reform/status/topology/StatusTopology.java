package sh.reform.status.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;
import sh.reform.schema.supervision.Notification;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.SpecificAvroSerde;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.topics.Topics;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.SupervisionNotices;
import sh.reform.status.fold.SupervisionRules;

/**
 * The replication-status topology, built by one method so that the tests drive the very topology the
 * service runs. Reading top to bottom:
 *
 * <pre>
 * reform.catalog.cases ──► [global store catalog-cases]   (bytes as on the topic)
 *
 * reform.case-adoption   ┐
 * reform.measure-rollout ├─► reported-events ─► cell-fold ─┬─► reform.replication-status  (compacted, Avro)
 * reform.outcome-reporting│   (bytes)            │ ▲        ├─► reform.status-alerts       (Avro)
 * reform.supervision     ┘                        │ │        ├─► reform.notifications       (Avro: reminders, notices)
 *                                                 ▼ │        └─► &lt;topic&gt;.dlq               (original bytes + reason)
 *                                          [cell-state store]  (RocksDB, changelog; CellState bytes by cell)
 *                                          [cell-history store] (versioned by occurred-at, changelog; status versions)
 *                                           + wall-clock punctuation: health and due dates re-evaluated, silence
 *                                             turns cells yellow/red, crossed reminders are produced once
 * </pre>
 *
 * The three event topics share one source node: they are co-partitioned on {@code caseId|districtCode},
 * so partition n of each lands in the same task, beside partition n of the cell store. Values are read as
 * bytes and decoded by {@link ReportIntake} inside the processor, so that an unreadable or invalid record
 * is routed to its topic's dead-letter topic — within the same exactly-once transaction as everything
 * else the task writes — instead of stopping the stream.
 *
 * <h2>Why the catalog is a global store</h2>
 * The fold needs the catalog (default plan, reference values) and the door needs to know which cases
 * exist. A global store inside the topology is fully loaded before any event is processed, is restored
 * from the catalog topic itself, and is the same on every instance, so a replay from scratch folds
 * against the catalog as the topic holds it, whatever a side channel happened to have read by then.
 * The shared CatalogFollower would be a second, independently timed reader of the same topic.
 * The price: live, the global thread reads the catalog alongside the events, so an event for a case
 * published a moment earlier could overtake it and be dead-lettered as {@code unknown-case} (and be
 * re-sent from there); the reporting services validate against the catalog first, which keeps this rare.
 */
public final class StatusTopology {

    /** Cell states by {@code caseId|districtCode}: {@link sh.reform.status.fold.CellState} bytes. */
    public static final String CELL_STATE_STORE = "cell-state";
    /**
     * Each cell's status history by {@code caseId|districtCode}: a Kafka Streams versioned store (KIP-889) whose
     * versions are keyed by the events' occurred-at (business time), each the fold of the cell's events up to then
     * before evaluation ({@link sh.reform.status.fold.StatusFold#versionsFrom}); values are
     * {@link sh.reform.status.fold.CellState#encodeStatus} bytes. "As of T" is a lookup of the latest version at or
     * before T, evaluated at T.
     */
    public static final String CELL_HISTORY_STORE = "cell-history";
    /**
     * How far back the history store keeps versions and accepts writes (its grace period): a century, so that every
     * occurred-at the log can hold is covered. Its changelog is compacted only after this long (Kafka Streams sets
     * {@code min.compaction.lag.ms} from it), so the changelog keeps every version, like the event log it derives from.
     */
    public static final Duration HISTORY_RETENTION = Duration.ofDays(36_500);
    /** Versions are grouped in segments of a year of validity (logical segments of one RocksDB instance). */
    static final Duration HISTORY_SEGMENT = Duration.ofDays(365);
    /** The catalog's cases by case id, bytes as on {@link Topics#CATALOG_CASES}. */
    public static final String CATALOG_STORE = "catalog-cases";

    static final String CATALOG_SOURCE = "catalog-source";
    static final String CATALOG_UPDATE = "catalog-update";
    static final String EVENTS_SOURCE = "reported-events";
    static final String FOLD = "cell-fold";
    static final String STATUS_SINK = "status-sink";
    static final String ALERT_SINK = "alert-sink";
    static final String NOTIFICATION_SINK = "notification-sink";

    private StatusTopology() {
    }

    /**
     * What the topology is built from.
     *
     * @param serdeConfig      the registry settings ({@code schema.registry.url}, …) for the Avro serdes
     * @param rules            the health rules
     * @param punctuateEvery   how often, by the wall clock, health is re-evaluated without events
     * @param districts        codes of the reporting districts; events of any other are refused
     * @param supervision      which claims need review, reminder days
     * @param notices          the texts of notifications (district names)
     * @param clock            what time it is for health and due dates; null for the stream's wall clock
     *                         (the system clock, or TopologyTestDriver's mocked one)
     */
    public record Settings(Map<String, ?> serdeConfig, HealthRules rules, Duration punctuateEvery, Set<String> districts,
                           SupervisionRules supervision, SupervisionNotices notices, Clock clock) {
        public Settings {
            serdeConfig = Map.copyOf(serdeConfig);
            Objects.requireNonNull(serdeConfig.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL), AvroSerdeConfig.SCHEMA_REGISTRY_URL);
            Objects.requireNonNull(rules, "rules");
            if (punctuateEvery.isNegative() || punctuateEvery.isZero()) {
                throw new IllegalArgumentException("punctuateEvery must be positive");
            }
            districts = Set.copyOf(districts);
            Objects.requireNonNull(supervision, "supervision");
            Objects.requireNonNull(notices, "notices");
        }

        /** The default supervision rules, district codes for names, and the stream's own wall clock. */
        public Settings(Map<String, ?> serdeConfig, HealthRules rules, Duration punctuateEvery, Set<String> districts) {
            this(serdeConfig, rules, punctuateEvery, districts, SupervisionRules.defaults(), new SupervisionNotices(Map.of()), null);
        }

        /** A reader of the registry's wire format into the generated classes. */
        public Deserializer<Object> avroReader() {
            Map<String, Object> c = new HashMap<>(serdeConfig);
            c.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
            AvroDeserializer d = new AvroDeserializer();
            d.configure(c, false);
            return d;
        }
    }

    /**
     * The record's own timestamp; a record without a valid one is still read (and, being odd, most likely
     * dead-lettered) at the partition's time, or the wall clock before the partition has one.
     */
    static long timestamp(org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
    }

    /**
     * The registry's id of the current status schema under the status topic's subject (registered when the settings
     * allow, as the Avro serializer does), read from the serializer's own output for a placeholder status.
     */
    static int statusSchemaId(Settings settings) {
        SpecificAvroSerde<ReplicationStatus> serde = new SpecificAvroSerde<>(ReplicationStatus.class);
        serde.configure(settings.serdeConfig(), false);
        byte[] wire = serde.serializer().serialize(Topics.REPLICATION_STATUS.name(),
                sh.reform.status.fold.CellState.notStartedStatus("-", "-"));
        return java.nio.ByteBuffer.wrap(wire, 1, 4).getInt();
    }

    /** The dead-letter sink node of an event topic. */
    static String deadLetterSink(Topic<?> topic) {
        return "dead-letter-" + topic.name();
    }

    /** The topology; {@code metrics} receives the processed and dead-lettered counts. */
    public static Topology build(Settings settings, FoldMetrics metrics) {
        SpecificAvroSerde<StatusAlert> alertSerde = new SpecificAvroSerde<>(StatusAlert.class);
        alertSerde.configure(settings.serdeConfig(), false);
        SpecificAvroSerde<Notification> notificationSerde = new SpecificAvroSerde<>(Notification.class);
        notificationSerde.configure(settings.serdeConfig(), false);

        Topology topology = new Topology();
        // Global stores use their source topic as changelog: logging must be off.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CATALOG_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                CATALOG_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.CATALOG_CASES.name(),
                CATALOG_UPDATE, CatalogCasesUpdater::new);

        // From the beginning: a new application id folds the whole log, the source of truth.
        topology.addSource(AutoOffsetReset.earliest(), EVENTS_SOURCE, StatusTopology::timestamp,
                new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                Topics.EVENTS.stream().map(Topic::name).toArray(String[]::new));
        topology.addProcessor(FOLD, () -> new CellFoldProcessor(settings, metrics), EVENTS_SOURCE);
        // Persistent (RocksDB) with its changelog (the default); no cache: each change is forwarded at once.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CELL_STATE_STORE), Serdes.String(), Serdes.ByteArray())
                        .withCachingDisabled(),
                FOLD);
        // The history: versioned by occurred-at. Its changelog records carry the version's occurred-at as timestamp,
        // which may lie ahead of the broker's clock (a report dated ahead, a test clock): the topic accepts any.
        topology.addStateStore(
                Stores.versionedKeyValueStoreBuilder(
                                Stores.persistentVersionedKeyValueStore(CELL_HISTORY_STORE, HISTORY_RETENTION, HISTORY_SEGMENT),
                                Serdes.String(), Serdes.ByteArray())
                        .withLoggingEnabled(Map.of(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE))),
                FOLD);

        // Status values arrive already in the registry's wire format, cut from the cell state's stored bytes.
        topology.addSink(STATUS_SINK, Topics.REPLICATION_STATUS.name(), new StringSerializer(), new ByteArraySerializer(), FOLD);
        topology.addSink(ALERT_SINK, Topics.STATUS_ALERTS.name(), new StringSerializer(), alertSerde.serializer(), FOLD);
        topology.addSink(NOTIFICATION_SINK, Topics.NOTIFICATIONS.name(), new StringSerializer(), notificationSerde.serializer(), FOLD);
        for (Topic<?> topic : Topics.EVENTS) {
            topology.addSink(deadLetterSink(topic), topic.deadLetterTopic(), new ByteArraySerializer(), new ByteArraySerializer(), FOLD);
        }
        return topology;
    }
}
