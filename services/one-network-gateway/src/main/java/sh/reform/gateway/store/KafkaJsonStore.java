package sh.reform.gateway.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small key → JSON document table kept in a compacted topic of one partition: read from the
 * beginning at start (so it survives restarts), followed afterwards (so several gateway instances
 * see each other's writes), written with {@code acks=all}. The local view is changed only by the
 * follower, and a write returns once the follower has applied it: a reader never sees a write
 * that the broker did not take, and sees its own writes in topic order.
 *
 * <p>Meant for what the city office and subscribers configure (hundreds to thousands of entries),
 * not for events.
 */
public final class KafkaJsonStore<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaJsonStore.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

    private final String topic;
    private final Class<T> type;
    private final JsonMapper json;
    private final Map<String, Object> consumerProps = new HashMap<>();
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, T> entries = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile long position = -1;
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public KafkaJsonStore(String bootstrapServers, String topic, Class<T> type, JsonMapper json) {
        this.topic = topic;
        this.type = type;
        this.json = json;
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4500);
        this.producer = new KafkaProducer<>(ProducerDefaults.enforce(p));
    }

    /** How the topic is created: compacted, one partition (the table is small and its order matters). */
    /** The table's topic with the brokers' default replication and {@code min.insync.replicas}. */
    public static NewTopic newTopicWithBrokerDefaults(String name) {
        return new NewTopic(name, java.util.Optional.of(1), java.util.Optional.empty()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    public static NewTopic newTopic(String name, short replicationFactor, int minInsyncReplicas) {
        return new NewTopic(name, 1, replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas)));
    }

    /** Starts following and waits up to {@code wait} for what the topic already holds. */
    public synchronized void start(Duration wait) {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "store-" + topic);
        thread.setDaemon(true);
        thread.start();
        try {
            awaitCaughtUp(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return caughtUp;
    }

    public String topic() {
        return topic;
    }

    public Optional<T> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Collection<T> all() {
        return List.copyOf(entries.values());
    }

    /** A live, read-only view of the values (no copy; for scans on hot paths). */
    public Collection<T> view() {
        return java.util.Collections.unmodifiableCollection(entries.values());
    }

    public int size() {
        return entries.size();
    }

    /** Writes the document and returns once it is in the local view; 503 when the broker did not take it in time. */
    public void put(String key, T value) {
        write(key, json.writeValueAsBytes(value));
    }

    /** Removes the key (a tombstone, which compaction keeps until every reader has seen it). */
    public void delete(String key) {
        write(key, null);
    }

    private void write(String key, byte[] value) {
        requireCaughtUp();
        RecordMetadata m;
        try {
            m = producer.send(new ProducerRecord<>(topic, 0, key, value)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, e);
        } catch (Exception e) {
            log.warn("write of {} to {} not acknowledged: {}", key, topic, e.toString());
            throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, e);
        }
        awaitApplied(m.offset());
    }

    /** 503 until the table has been read, so that nothing is decided on half a table. */
    public void requireCaughtUp() {
        if (!caughtUp) {
            throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, null);
        }
    }

    private void awaitApplied(long offset) {
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        synchronized (progress) {
            while (position <= offset) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, null);
                }
                try {
                    progress.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ApiProblemException.unavailable(ReportingEngine.RETRY_AFTER, e);
                }
            }
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps)) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                if (running) {
                    log.warn("store {} woken up unexpectedly; restarting", topic);
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("store {} failed ({}); retrying in 1 s", topic, e.toString());
                    sleep(1000);
                }
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist yet");
        }
        List<TopicPartition> tps = new ArrayList<>();
        infos.forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
        c.assign(tps);
        c.seekToBeginning(tps);
        // Re-read from scratch (also after a lost connection): requests wait with 503 rather than see half a table.
        caughtUp = false;
        entries.clear();
        long end = c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        TopicPartition tp = tps.get(0);
        while (running) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
                apply(r);
            }
            long pos = c.position(tp);
            synchronized (progress) {
                position = pos;
                progress.notifyAll();
            }
            if (!caughtUp && pos >= end) {
                caughtUp = true;
                log.info("store {} read: {} entries", topic, entries.size());
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            entries.remove(r.key());
            return;
        }
        try {
            entries.put(r.key(), json.readValue(r.value(), type));
        } catch (RuntimeException e) {
            log.warn("skipping unreadable {} record {}@{}: {} ({})", topic, r.key(), r.offset(), e.getMessage(),
                    new String(r.value(), StandardCharsets.UTF_8));
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
        producer.close(Duration.ofSeconds(2));
    }
}
