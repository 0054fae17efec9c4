package sh.reform.shared.reporting;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import io.micrometer.core.instrument.MeterRegistry;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.serde.AvroSerdeConfig;

/** Builds a service's {@link ReportingEngine} from Spring Boot's Kafka settings. */
public final class ReportingEngines {

    private ReportingEngines() {
    }

    public static <E extends SpecificRecord> ReportingEngine<E> create(ReportKind<E> kind, CatalogFollower catalog,
                                                                       KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> extra = new HashMap<>(kafka.getProperties());
        extra.remove(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        return new ReportingEngine<>(kind, catalog, String.join(",", kafka.getBootstrapServers()),
                kafka.getProperties().get(AvroSerdeConfig.SCHEMA_REGISTRY_URL), extra, Clock.systemUTC(), meters);
    }

    /** Ready once the receipt index has read the topic (so a repeated request is recognised after a restart). */
    public static HealthIndicator health(ReportingEngine<?> engine) {
        return () -> (engine.index().caughtUp() ? Health.up() : Health.outOfService().withDetail("reason", "reading earlier receipts"))
                .withDetail("knownEventIds", engine.index().size()).build();
    }
}
