package sh.reform.gateway.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;
import sh.reform.schema.supervision.Notification;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.topics.Topics;

/**
 * Follows the compacted status topic and the alert topic and hands each change to the
 * {@link WebhookDispatcher}. To say what changed it keeps a small digest of every cell: at start
 * it reads the status topic from the beginning up to the committed offsets without delivering
 * (a first start delivers from the end: history is the topic's, subscribers get what changes from
 * now on), then delivers. Offsets are committed only past changes every subscriber has had or
 * has in its dead-letter list.
 *
 * <p>It also follows the notifications topic (督办通知), read from the beginning like the status topic:
 * what lies before the committed offsets was delivered and is only remembered (by notification id), so
 * a notification id is handed to the dispatcher once, even when the status fold re-emits it (a rebuild)
 * at a later offset; a crash before the commit delivers it again with the same CloudEvent id.
 *
 * <p>One instance runs the feed (all partitions are assigned to it); a second gateway would
 * need {@code reform.gateway.outbound.enabled=false}.
 */
public final class StatusFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusFeed.class);
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);

    private final Map<String, Object> props = new HashMap<>();
    private final AvroDeserializer avro;
    private final WebhookDispatcher dispatcher;
    private final Supplier<Collection<Subscription>> subscriptions;
    private final int maxQueued;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Map<String, StatusChanges.Digest> cells = new HashMap<>();
    private final Set<String> notificationIds = new HashSet<>();
    private volatile boolean running;
    private volatile boolean live;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public StatusFeed(String bootstrapServers, String group, SchemaRegistryClient registry, WebhookDispatcher dispatcher,
                      Supplier<Collection<Subscription>> subscriptions, int maxQueued) {
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.avro = new AvroDeserializer(registry, true);
        this.dispatcher = dispatcher;
        this.subscriptions = subscriptions;
        this.maxQueued = maxQueued;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "status-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** True once the feed delivers (it has read what it needs of the past). */
    public boolean live() {
        return live;
    }

    public int inFlight() {
        return tracker.inFlight();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("status feed failed ({}); retrying in 1 s", e.toString());
                    sleep(1000);
                }
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> status = partitions(c, Topics.REPLICATION_STATUS.name());
        List<TopicPartition> alerts = partitions(c, Topics.STATUS_ALERTS.name());
        List<TopicPartition> notifications = partitions(c, Topics.NOTIFICATIONS.name());
        List<TopicPartition> all = new ArrayList<>(status);
        all.addAll(alerts);
        all.addAll(notifications);
        c.assign(all);
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(new HashSet<>(all));
        Map<TopicPartition, Long> end = c.endOffsets(all);
        Map<TopicPartition, Long> deliverFrom = new HashMap<>();
        for (TopicPartition tp : all) {
            OffsetAndMetadata o = committed.get(tp);
            long from = o != null ? o.offset() : end.get(tp);
            deliverFrom.put(tp, from);
            tracker.passed(tp, from);
        }
        c.seekToBeginning(status);
        c.seekToBeginning(notifications);
        alerts.forEach(tp -> c.seek(tp, deliverFrom.get(tp)));
        long lastCommit = System.nanoTime();
        Set<TopicPartition> paused = new HashSet<>();
        while (running) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                handle(r, deliverFrom);
            }
            for (TopicPartition tp : all) {
                tracker.passed(tp, c.position(tp));
            }
            if (!live && status.stream().allMatch(tp -> c.position(tp) >= deliverFrom.get(tp))) {
                live = true;
                log.info("status feed live: {} cells known", cells.size());
            }
            if (dispatcher.maxQueued() > maxQueued && paused.isEmpty()) {
                paused.addAll(all);
                c.pause(all);
            } else if (!paused.isEmpty() && dispatcher.maxQueued() <= maxQueued / 2) {
                c.resume(paused);
                paused.clear();
            }
            if (System.nanoTime() - lastCommit > COMMIT_EVERY.toNanos()) {
                commit(c);
                lastCommit = System.nanoTime();
            }
        }
        commit(c);
    }

    private void handle(ConsumerRecord<String, byte[]> r, Map<TopicPartition, Long> deliverFrom) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        boolean deliver = r.offset() >= deliverFrom.get(tp);
        boolean isStatus = r.topic().equals(Topics.REPLICATION_STATUS.name());
        if (r.value() == null) {
            if (isStatus && r.key() != null) {
                cells.remove(r.key());
            }
            return;
        }
        Object value;
        try {
            value = avro.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            log.warn("skipping unreadable {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        String id = StatusChanges.eventId(r.topic(), r.partition(), r.offset());
        Instant time = Instant.ofEpochMilli(r.timestamp());
        StatusChange change;
        if (value instanceof ReplicationStatus s) {
            StatusChanges.Digest now = StatusChanges.Digest.of(s);
            StatusChanges.Digest before = cells.put(sh.reform.shared.topics.Topic.cellKey(s.getCaseId(), s.getDistrictCode()), now);
            Set<ChangeKind> kinds = StatusChanges.kinds(before, now);
            if (!deliver || kinds.isEmpty()) {
                return;
            }
            change = StatusChanges.statusChanged(s, kinds, before, id, time);
        } else if (value instanceof StatusAlert a && deliver) {
            change = StatusChanges.alert(a, id, time);
        } else if (value instanceof Notification n) {
            boolean first = notificationIds.add(n.getNotificationId());
            if (!deliver || !first) {
                return;
            }
            change = StatusChanges.notification(n, time);
        } else {
            return;
        }
        tracker.started(tp, r.offset());
        dispatcher.submit(change, subscriptions.get(), () -> tracker.done(tp, r.offset()));
    }

    private void commit(KafkaConsumer<String, byte[]> c) {
        try {
            c.commitSync(tracker.committable(), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("could not commit status feed offsets: {}", e.toString());
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist yet");
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
