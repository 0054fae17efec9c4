package sh.reform.notify.topology;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import sh.reform.notify.NotificationSettings;
import sh.reform.shared.serde.AvroDeserializer;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.shared.web.ApiProblemException;

/**
 * Runs the {@link NotificationTopology} for the life of the application, exactly-once
 * ({@code exactly_once_v2}, not a setting); a failed stream thread is replaced and resumes from its
 * last committed transaction. One instance holds every partition's stores (the inbox queries them
 * all); a second instance would split them and needs query forwarding, which this service does not do.
 */
@Component
public class NotificationStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationStreams.class);
    static final String METRICS_ID = "notification-service";

    private final KafkaProperties kafka;
    private final NotificationSettings settings;
    private final Mailer mailer;
    private final MeterRegistry meters;
    private final AvroDeserializer reader;
    private volatile KafkaStreams streams;
    private KafkaStreamsMicrometerListener micrometer;

    public NotificationStreams(KafkaProperties kafka, NotificationSettings settings, Mailer mailer, MeterRegistry meters) {
        this.kafka = kafka;
        this.settings = settings;
        this.mailer = mailer;
        this.meters = meters;
        this.reader = NotificationTopology.reader(serdeConfig());
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Reads the stores' record bytes (registry wire format) into the generated classes. */
    public AvroDeserializer reader() {
        return reader;
    }

    /** A store of every local partition, or 503 while the client is not running (starting, rebalancing). */
    public ReadOnlyKeyValueStore<String, byte[]> bytesStore(String name) {
        KafkaStreams s = streams;
        if (s == null || s.state() != KafkaStreams.State.RUNNING) {
            throw ApiProblemException.unavailable(Duration.ofSeconds(2), null);
        }
        try {
            return s.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw ApiProblemException.unavailable(Duration.ofSeconds(2), e);
        }
    }

    public ReadOnlyKeyValueStore<String, String> stringStore(String name) {
        KafkaStreams s = streams;
        if (s == null || s.state() != KafkaStreams.State.RUNNING) {
            throw ApiProblemException.unavailable(Duration.ofSeconds(2), null);
        }
        try {
            return s.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, String>keyValueStore()));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw ApiProblemException.unavailable(Duration.ofSeconds(2), e);
        }
    }

    Map<String, Object> serdeConfig() {
        Map<String, Object> c = new HashMap<>();
        kafka.getProperties().forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.equals(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS)) {
                c.put(k, v);
            }
        });
        return c;
    }

    Properties properties() {
        Map<String, Object> p = new HashMap<>(kafka.buildStreamsProperties());
        p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "notification-service");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.getStateDir().toAbsolutePath().toString());
        // A punctuation may spend its send budget talking to the SMTP server inside an open transaction.
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        try {
            Files.createDirectories(settings.getStateDir());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the Kafka Streams state dir " + settings.getStateDir(), e);
        }
        KafkaStreams client = new KafkaStreams(NotificationTopology.build(serdeConfig(), settings.getMail(), mailer,
                new IntakeMetrics(meters)), properties());
        client.setUncaughtExceptionHandler(e -> {
            log.error("a notification stream thread failed; replacing it (it resumes from its last commit)", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        client.setStateListener((now, before) -> log.info("notification streams: {} -> {}", before, now));
        micrometer = new KafkaStreamsMicrometerListener(meters);
        micrometer.streamsAdded(METRICS_ID, client);
        client.start();
        streams = client;
        log.info("notification streams started, state dir {}", settings.getStateDir().toAbsolutePath());
    }

    @Override
    public synchronized void stop() {
        KafkaStreams client = streams;
        if (client == null) {
            return;
        }
        streams = null;
        client.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        if (micrometer != null) {
            micrometer.streamsRemoved(METRICS_ID, client);
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE + 1;
    }
}
