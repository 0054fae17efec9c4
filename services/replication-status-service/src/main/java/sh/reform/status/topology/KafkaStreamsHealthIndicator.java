package sh.reform.status.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code kafkaStreams} in {@code /actuator/health}: UP only while the client is RUNNING (every task
 * restored and processing); OUT_OF_SERVICE while it starts or rebalances, when queries answer 503;
 * DOWN once it failed or stopped.
 */
@Component
class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final StatusStreams status;

    KafkaStreamsHealthIndicator(StatusStreams status) {
        this.status = status;
    }

    @Override
    public Health health() {
        KafkaStreams streams = status.streams();
        if (streams == null) {
            return Health.outOfService().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = streams.state();
        Health.Builder health = switch (state) {
            case RUNNING -> Health.up();
            case CREATED, REBALANCING -> Health.outOfService();
            default -> Health.down();
        };
        return health.withDetail("state", state.name())
                .withDetail("applicationServer", String.valueOf(status.self()))
                .withDetail("threads", streams.metadataForLocalThreads().size())
                .build();
    }
}
