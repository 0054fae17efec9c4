package sh.reform.status.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import sh.reform.shared.serde.AvroSerdeConfig;
import sh.reform.status.Districts;
import sh.reform.status.fold.SupervisionNotices;
import sh.reform.status.fold.SupervisionRules;
import sh.reform.status.StatusSettings;
import sh.reform.status.fold.HealthRules;

/**
 * Runs the {@link StatusTopology} as a Kafka Streams client for the life of the application.
 *
 * <p>It starts after the web server (so {@code application.server} names the port actually bound, which
 * other instances use to forward queries) and stops before it. Exactly-once ({@code exactly_once_v2})
 * is not a setting: the status must never count a report twice. A stream thread that dies (for instance
 * while the registry is unreachable) is replaced, so it resumes from its last committed transaction.
 */
@Component
public class StatusStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatusStreams.class);
    static final String METRICS_ID = "replication-status";

    private final KafkaProperties kafka;
    private final StatusSettings settings;
    private final HealthRules rules;
    private final Districts districts;
    private final MeterRegistry meters;
    private final Environment environment;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private KafkaStreamsMicrometerListener micrometer;

    private final SupervisionRules supervision;
    private final Clock clock;

    public StatusStreams(KafkaProperties kafka, StatusSettings settings, HealthRules rules, Districts districts,
                         MeterRegistry meters, Environment environment, SupervisionRules supervision, Clock clock) {
        this.supervision = supervision;
        this.clock = clock;
        this.kafka = kafka;
        this.settings = settings;
        this.rules = rules;
        this.districts = districts;
        this.meters = meters;
        this.environment = environment;
    }

    /** The running client; null before start and after stop. */
    public KafkaStreams streams() {
        return streams;
    }

    /** This instance's {@code application.server}. */
    public HostInfo self() {
        return self;
    }

    /** The Streams configuration: Spring's {@code spring.kafka.streams.*} and {@code spring.kafka.properties.*}, then ours. */
    Properties properties(HostInfo server) {
        Map<String, Object> p = new HashMap<>(kafka.buildStreamsProperties());
        p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "replication-status");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // One stream thread per core unless configured (spring.kafka.streams.properties.num.stream.threads): the fold is
        // CPU-bound, and a single thread leaves every other core idle during a rebuild.
        p.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.max(1, Runtime.getRuntime().availableProcessors()));
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.getStateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server.host() + ":" + server.port());
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private volatile org.apache.kafka.common.serialization.Deserializer<Object> avroReader;

    /**
     * A reader of the registry's wire format into the generated classes, configured like the topology's;
     * one for the application (it is thread-safe), so the schemas it has fetched from the registry are
     * fetched once, not once per query.
     */
    public org.apache.kafka.common.serialization.Deserializer<Object> avroReader() {
        org.apache.kafka.common.serialization.Deserializer<Object> reader = avroReader;
        if (reader == null) {
            synchronized (this) {
                if (avroReader == null) {
                    avroReader = new StatusTopology.Settings(serdeConfig(), rules, settings.getPunctuateEvery(), districts.codes())
                            .avroReader();
                }
                reader = avroReader;
            }
        }
        return reader;
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

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        int port = settings.getAdvertisedPort() > 0 ? settings.getAdvertisedPort()
                : environment.getProperty("local.server.port", Integer.class,
                        environment.getProperty("server.port", Integer.class, 8094));
        self = new HostInfo(settings.getAdvertisedHost(), port);
        try {
            Files.createDirectories(settings.getStateDir());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the Kafka Streams state dir " + settings.getStateDir(), e);
        }
        Map<String, String[]> names = new HashMap<>();
        districts.all().forEach(j -> names.put(j.code(), new String[] {j.nameZh(), j.nameEn()}));
        StatusTopology.Settings topologySettings = new StatusTopology.Settings(serdeConfig(), rules,
                settings.getPunctuateEvery(), districts.codes(), supervision, new SupervisionNotices(names), clock);
        KafkaStreams client = new KafkaStreams(StatusTopology.build(topologySettings, new FoldMetrics(meters)), properties(self));
        client.setUncaughtExceptionHandler(e -> {
            log.error("a replication-status stream thread failed; replacing it (it resumes from its last commit)", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        client.setStateListener((now, before) -> log.info("replication-status streams: {} -> {}", before, now));
        micrometer = new KafkaStreamsMicrometerListener(meters);
        micrometer.streamsAdded(METRICS_ID, client);
        client.start();
        streams = client;
        log.info("replication-status streams started: application.server={}, state dir {}", self, stateDir());
    }

    private Path stateDir() {
        return settings.getStateDir().toAbsolutePath();
    }

    @Override
    public synchronized void stop() {
        KafkaStreams client = streams;
        if (client == null) {
            return;
        }
        streams = null;
        // Leave the group on a clean stop, so the others take over its partitions at once instead of after
        // the session timeout (Kafka Streams otherwise stays in the group: internal.leave.group.on.close).
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

    /** Right after the web server starts, right before it stops. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE + 1;
    }
}
