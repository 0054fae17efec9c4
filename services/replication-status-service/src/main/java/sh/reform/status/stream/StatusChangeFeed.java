package sh.reform.status.stream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;
import sh.reform.shared.topics.Topics;
import sh.reform.status.StatusSettings;
import sh.reform.status.topology.StatusStreams;

/**
 * Fans the status and alert topics out to Server-Sent Events clients. One background consumer per
 * instance reads both topics from their end (committed records only, so an aborted transaction of the
 * topology never reaches a screen) and sends each record to every connected client as JSON, with an
 * event id {@code status-<partition>-<offset>} or {@code alert-<partition>-<offset>}. Any instance serves
 * every change, since it reads all partitions; keep-alive comments keep proxies from closing idle streams.
 */
@Component
class StatusChangeFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatusChangeFeed.class);

    private final KafkaProperties kafka;
    private final StatusStreams streams;
    private final StatusSettings settings;
    private final Set<SseEmitter> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private ScheduledExecutorService keepAlive;

    StatusChangeFeed(KafkaProperties kafka, StatusStreams streams, StatusSettings settings, MeterRegistry meters) {
        this.kafka = kafka;
        this.streams = streams;
        this.settings = settings;
        Gauge.builder("reform.status.stream.clients", clients, Set::size)
                .description("connected Server-Sent Events clients").register(meters);
    }

    /** A new client; it receives every change from now on. */
    SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(settings.getStreamTimeout().toMillis());
        emitter.onCompletion(() -> clients.remove(emitter));
        emitter.onTimeout(() -> clients.remove(emitter));
        emitter.onError(e -> clients.remove(emitter));
        clients.add(emitter);
        try {
            emitter.send(SseEmitter.event().comment("connected / 已连接"));
        } catch (IOException e) {
            clients.remove(emitter);
        }
        return emitter;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "status-change-feed");
        thread.setDaemon(true);
        thread.start();
        keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "status-change-feed-keep-alive");
            t.setDaemon(true);
            return t;
        });
        long every = settings.getStreamKeepAlive().toMillis();
        keepAlive.scheduleAtFixedRate(() -> broadcast(SseEmitter.event().comment("keep-alive")), every, every, TimeUnit.MILLISECONDS);
    }

    private void run() {
        Deserializer<Object> avro = streams.avroReader();
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties())) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.REPLICATION_STATUS.name(), Topics.STATUS_ALERTS.name())) {
                    for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(10))) {
                        partitions.add(new TopicPartition(topic, p.partition()));
                    }
                }
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position); // resolve "end" now, not at the first poll
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        forward(avro, r);
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("status change feed failed ({}); reconnecting in 1 s", e.toString());
                    sleep(1000);
                }
            }
        }
    }

    private void forward(Deserializer<Object> avro, ConsumerRecord<String, byte[]> r) {
        // Nobody listening (or a replay folding millions of events): nothing to decode. A client that connects
        // later receives the changes from then on, as documented.
        if (r.value() == null || clients.isEmpty()) {
            return;
        }
        Object value;
        try {
            value = avro.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            log.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        if (value instanceof ReplicationStatus s) {
            broadcast(SseEmitter.event().name("status").id("status-" + r.partition() + "-" + r.offset())
                    .data(StatusChange.of(s), MediaType.APPLICATION_JSON));
        } else if (value instanceof StatusAlert a) {
            broadcast(SseEmitter.event().name("alert").id("alert-" + r.partition() + "-" + r.offset())
                    .data(AlertRaised.of(a), MediaType.APPLICATION_JSON));
        }
    }

    private void broadcast(SseEmitter.SseEventBuilder event) {
        for (SseEmitter client : clients) {
            try {
                client.send(event);
            } catch (IOException | IllegalStateException e) {
                clients.remove(client);
                client.completeWithError(e);
            }
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(kafka.buildConsumerProperties());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "replication-status-feed");
        return p;
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        clients.forEach(SseEmitter::complete);
        clients.clear();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
