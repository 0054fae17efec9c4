package sh.reform.shared.reporting;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.Environment;

import io.micrometer.core.instrument.MeterRegistry;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.config.ReformProperties;
import sh.reform.shared.serde.AvroSerdeConfig;

/** Builds a service's {@link ReportingEngine} from Spring Boot's Kafka settings. */
public final class ReportingEngines {

    private ReportingEngines() {
    }

    public static <E extends SpecificRecord> ReportingEngine<E> create(ReportKind<E> kind, CatalogFollower catalog,
                                                                       KafkaProperties kafka, MeterRegistry meters) {
        return create(kind, catalog, kafka, new ReformProperties(), null, meters);
    }

    /** With the {@code reform.reporting.*} settings; {@code env} (may be null) gives {@code server.port} for the instance's id. */
    public static <E extends SpecificRecord> ReportingEngine<E> create(ReportKind<E> kind, CatalogFollower catalog, KafkaProperties kafka,
                                                                       ReformProperties reform, Environment env, MeterRegistry meters) {
        Map<String, Object> extra = new HashMap<>(kafka.getProperties());
        extra.remove(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        ReformProperties.Reporting r = reform.getReporting();
        String prefix = r.getTransactionalIdPrefix() == null || r.getTransactionalIdPrefix().isBlank()
                ? instancePrefix(kind.serviceName(), env == null ? null : env.getProperty("server.port"))
                : r.getTransactionalIdPrefix().strip();
        var settings = new ReportingEngine.Settings(r.getTransactionalProducers(), prefix, r.getSingleLingerMs(), r.getTransactionBatchBytes());
        return new ReportingEngine<>(kind, catalog, String.join(",", kafka.getBootstrapServers()),
                kafka.getProperties().get(AvroSerdeConfig.SCHEMA_REGISTRY_URL), extra, Clock.systemUTC(), meters, settings);
    }

    /**
     * {@code <service>-<host>[-<port>]}: the same after a restart of the instance (a pod keeps its
     * host name, a local process its port), different between instances. A random port (0, tests)
     * or an unknown host name gives a random suffix instead: no fencing across restarts then, and
     * a transaction left open is aborted by the transaction timeout.
     */
    static String instancePrefix(String service, String serverPort) {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                host = null;
            }
        }
        String port = serverPort == null ? "" : serverPort.strip();
        if (host == null || host.isBlank() || "0".equals(port) || port.startsWith("-")) {
            return service + "-" + UUID.randomUUID();
        }
        return service + "-" + host.strip() + (port.isEmpty() ? "" : "-" + port);
    }

    /** Ready once the receipt index has read the topic (so a repeated request is recognised after a restart). */
    public static HealthIndicator health(ReportingEngine<?> engine) {
        return () -> (engine.index().caughtUp() ? Health.up() : Health.outOfService().withDetail("reason", "reading earlier receipts"))
                .withDetail("knownEventIds", engine.index().size()).build();
    }
}
