package sh.reform.notify.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code kafkaStreams} in {@code /actuator/health}: UP while RUNNING, OUT_OF_SERVICE while starting or rebalancing. */
@Component
class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final NotificationStreams streams;

    KafkaStreamsHealthIndicator(NotificationStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams s = streams.streams();
        if (s == null) {
            return Health.outOfService().withDetail("state", "NOT_STARTED").build();
        }
        Health.Builder h = switch (s.state()) {
            case RUNNING -> Health.up();
            case CREATED, REBALANCING -> Health.outOfService();
            default -> Health.down();
        };
        return h.withDetail("state", s.state().name()).build();
    }
}
