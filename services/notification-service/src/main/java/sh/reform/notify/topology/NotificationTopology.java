package sh.reform.notify.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import sh.reform.notify.NotificationSettings;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.serde.AvroSerializer;
import sh.reform.shared.topics.Topics;

/**
 * The notification service's topology, all state in persistent (RocksDB) stores with changelogs, run
 * exactly-once ({@code exactly_once_v2}):
 *
 * <pre>
 * reform.notifications ──► intake ──► notifications  (id → record; a repeated id is dropped here)
 * reform.status-alerts ─► alert-notices ─┘ (a health change → a notification for the followers of the cell)
 *                            │    └─► mail-outbox    (id|recipient → attempts; sent by a wall-clock punctuator)
 *                            │        mail-delivered (id|recipient → sent at; never sent twice)
 *                            └──► reform.notifications.dlq (unreadable, with a reason header)
 * reform.follows            ──► follows (global store: every follow, for recipients and the inbox)
 * reform.notification-reads ──► reads   (global store: read marks per principal)
 * </pre>
 *
 * A notification's id is derived from its cell, so repeats land in the same partition and the same
 * task's store: the drop of a repeat is exact. The stores keep the original record bytes (registry wire
 * format), so no new subject is registered for them.
 */
public final class NotificationTopology {

    public static final String NOTIFICATIONS = "notifications";
    public static final String OUTBOX = "mail-outbox";
    public static final String DELIVERED = "mail-delivered";
    public static final String FOLLOWS = "follows";
    public static final String READS = "reads";

    static final String SOURCE = "notifications-source";
    static final String INTAKE = "intake";
    static final String DLQ = "dead-letters";
    static final String ALERTS_SOURCE = "alerts-source";
    static final String ALERT_NOTICES = "alert-notices";
    static final String ALERTS_DLQ = "alert-dead-letters";

    private NotificationTopology() {
    }

    public static Topology build(Map<String, Object> serdeConfig, NotificationSettings.Mail mail, Mailer mailer, IntakeMetrics metrics) {
        Topology t = new Topology();
        t.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.NOTIFICATIONS.name());
        // Health changes of followed cells (co-partitioned with the notifications: same key, same partition count).
        t.addSource(ALERTS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.STATUS_ALERTS.name());
        t.addProcessor(ALERT_NOTICES, () -> new AlertNotices(reader(serdeConfig), writer(serdeConfig)), ALERTS_SOURCE);
        t.addSink(ALERTS_DLQ, Topics.STATUS_ALERTS.deadLetterTopic(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                ALERT_NOTICES);
        t.addProcessor(INTAKE, () -> new Intake(reader(serdeConfig), mail, mailer, metrics), SOURCE, ALERT_NOTICES);
        t.addSink(DLQ, Topics.NOTIFICATIONS.deadLetterTopic(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), INTAKE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NOTIFICATIONS), Serdes.String(), Serdes.ByteArray()), INTAKE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTBOX), Serdes.String(), Serdes.String()), INTAKE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DELIVERED), Serdes.String(), Serdes.String()), INTAKE);
        addTable(t, FOLLOWS, Topics.FOLLOWS.name());
        addTable(t, READS, Topics.NOTIFICATION_READS.name());
        return t;
    }

    /** A global store that mirrors a compacted topic: the latest bytes per key, a tombstone deletes. */
    private static void addTable(Topology t, String store, String topic) {
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                store + "-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic, store + "-table",
                () -> new Processor<String, byte[], Void, Void>() {
                    private KeyValueStore<String, byte[]> kv;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        kv = context.getStateStore(store);
                    }

                    @Override
                    public void process(Record<String, byte[]> r) {
                        if (r.key() == null) {
                            return;
                        }
                        if (r.value() == null) {
                            kv.delete(r.key());
                        } else {
                            kv.put(r.key(), r.value());
                        }
                    }
                });
    }

    /** A writer of the registry's wire format (the notification schema is registered by the status fold). */
    static AvroSerializer writer(Map<String, Object> serdeConfig) {
        AvroSerializer w = new AvroSerializer();
        w.configure(serdeConfig, false);
        return w;
    }

    /** A reader of the registry's wire format into the generated classes. */
    public static AvroDeserializer reader(Map<String, Object> serdeConfig) {
        AvroDeserializer d = new AvroDeserializer();
        Map<String, Object> c = new java.util.HashMap<>(serdeConfig);
        c.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        d.configure(c, false);
        return d;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
