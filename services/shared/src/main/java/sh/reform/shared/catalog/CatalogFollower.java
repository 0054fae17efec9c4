package sh.reform.shared.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.catalog.Catalog;
import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.shared.registry.SchemaRegistryClient;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.topics.Topics;

/**
 * Follows the compacted catalog topics from the beginning and keeps an immutable {@link Catalog}
 * snapshot that every service validates against: a case published at noon can be adopted at
 * 12:00:01. Jurisdictions and domains come from the packaged seed catalog; cases and batches
 * from the topics (the city office's API and the seed loader both publish there).
 *
 * <p>Reads committed records only (the catalog API publishes batches in transactions). A record
 * that cannot be read is skipped and counted, never stopping the follower.
 */
public final class CatalogFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogFollower.class);

    private final Map<String, Object> consumerProps;
    private final AvroDeserializer deserializer;
    private final AtomicReference<Catalog> current;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final List<Consumer<Catalog>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public CatalogFollower(String bootstrapServers, SchemaRegistryClient registry, Catalog base) {
        this.consumerProps = new HashMap<>();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.deserializer = new AvroDeserializer(registry, true);
        this.current = new AtomicReference<>(new Catalog(base.jurisdictions(), base.domains(), List.of(), List.of()));
    }

    /** Starts following in a daemon thread. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "catalog-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** The latest snapshot. */
    public Catalog current() {
        return current.get();
    }

    /** True once every catalog record present at start has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Waits until caught up; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return caughtUp;
    }

    public long appliedRecords() {
        return applied.get();
    }

    public long unreadableRecords() {
        return unreadable.get();
    }

    /** Called with each new snapshot, on the follower's thread. */
    public void onChange(Consumer<Catalog> listener) {
        listeners.add(listener);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps)) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                if (running) {
                    log.warn("catalog follower woken up unexpectedly; restarting");
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("catalog follower failed ({}); retrying in 1 s", e.toString());
                    sleep(1000);
                }
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.CATALOG_CASES.name(), Topics.CATALOG_BATCHES.name())) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("catalog topic " + topic + " does not exist yet");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (running) {
            var records = c.poll(Duration.ofMillis(100));
            Catalog snapshot = current.get();
            boolean changed = false;
            for (ConsumerRecord<String, byte[]> r : records) {
                if (r.value() == null) {
                    continue;
                }
                try {
                    Object value = deserializer.deserialize(r.topic(), r.value());
                    if (value instanceof CatalogCase cc) {
                        snapshot = snapshot.withCase(cc);
                        changed = true;
                    } else if (value instanceof CatalogBatch cb) {
                        snapshot = snapshot.withBatch(cb);
                        changed = true;
                    }
                    applied.incrementAndGet();
                } catch (RuntimeException e) {
                    unreadable.incrementAndGet();
                    log.warn("skipping unreadable catalog record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                }
            }
            if (changed) {
                current.set(snapshot);
                Catalog s = snapshot;
                listeners.forEach(l -> l.accept(s));
            }
            if (!caughtUp && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                caughtUp = true;
                log.info("catalog follower caught up: {} cases, {} batches", snapshot.cases().size(), snapshot.batches().size());
            }
        }
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
