package sh.reform.shared.reporting;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.shared.cloudevents.CloudEventHeaders;

/**
 * Which event ids the topic already holds, with the content hash each was accepted with, read
 * from the record headers ({@code ce_id}, {@code reform-content-hash}) of the service's own topic.
 * This is what makes a repeated request publish nothing new — also after a restart, and also when
 * an earlier attempt timed out but did reach the broker: the index follows the topic itself.
 *
 * <p>Memory: about 100 bytes per event id. Enough for a city (millions of events); a national
 * deployment would bound it to a window of days, as payment APIs do with idempotency keys.
 */
public final class ReceiptIndex implements AutoCloseable {

    public static final String CONTENT_HASH_HEADER = "reform-content-hash";
    private static final Logger log = LoggerFactory.getLogger(ReceiptIndex.class);

    private final String topic;
    private final Map<String, Object> props;
    private final Map<String, Entry> byEventId = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    record Entry(long hash, int partition, long offset) {
    }

    public ReceiptIndex(String bootstrapServers, String topic) {
        this.topic = topic;
        this.props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "receipt-index-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** The receipt of an event id already on the topic, if any, with its content hash. */
    public Receipt find(String eventId, long[] hashOut) {
        Entry e = byEventId.get(eventId);
        if (e == null) {
            return null;
        }
        hashOut[0] = e.hash;
        return new Receipt(eventId, topic, e.partition, e.offset, true);
    }

    /** Records an accepted event at once, without waiting for the follower to read it back. */
    public void put(String eventId, long hash, int partition, long offset) {
        byEventId.put(eventId, new Entry(hash, partition, offset));
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

    /**
     * Waits until the index has read everything the topic holds right now. Used before answering a
     * retry of a report whose earlier attempt failed without an answer from the broker: that attempt
     * may have been written after all, and must then be found, not written again.
     */
    public boolean awaitUpToDate(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> tps = new ArrayList<>();
            c.partitionsFor(topic, timeout).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            end = c.endOffsets(tps, timeout);
        } catch (RuntimeException e) {
            return false;
        }
        while (System.nanoTime() < deadline) {
            if (end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    public int size() {
        return byEventId.size();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
                consumer = c;
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist yet");
                }
                List<TopicPartition> tps = new ArrayList<>();
                infos.forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
                c.assign(tps);
                c.seekToBeginning(tps);
                Map<TopicPartition, Long> end = c.endOffsets(tps);
                long started = System.nanoTime();
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        String id = CloudEventHeaders.get(r.headers(), CloudEventHeaders.ID);
                        Header h = r.headers().lastHeader(CONTENT_HASH_HEADER);
                        if (id != null) {
                            long hash = h == null || h.value().length < 8 ? 0 : ByteBuffer.wrap(h.value()).getLong();
                            byEventId.putIfAbsent(id, new Entry(hash, r.partition(), r.offset()));
                        }
                    }
                    for (TopicPartition tp : tps) {
                        positions.put(tp, c.position(tp));
                    }
                    if (!caughtUp && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        caughtUp = true;
                        log.info("receipt index of {} caught up: {} event ids in {} ms", topic, byEventId.size(),
                                (System.nanoTime() - started) / 1_000_000);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("receipt index of {} failed ({}); retrying in 1 s", topic, e.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    static byte[] hashHeader(long hash) {
        return ByteBuffer.allocate(8).putLong(hash).array();
    }

    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
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
