package sh.reform.gateway;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's settings, under {@code reform.gateway}. Kafka, the registry and the JWT secret are
 * the platform's ({@code spring.kafka.*}, {@code reform.security.*}).
 *
 * @param reporting where the reporting services answer, and how long to wait for them
 * @param appsFile  YAML or JSON file with the one-network systems' app keys and secrets; re-read when it changes
 * @param signature limits of the signed inbound requests
 * @param outbound  webhook delivery
 * @param topics    the gateway's own compacted topics
 */
@ConfigurationProperties("reform.gateway")
public record GatewaySettings(
        @DefaultValue Reporting reporting,
        @DefaultValue("config/one-network-apps.yaml") String appsFile,
        @DefaultValue Signature signature,
        @DefaultValue Outbound outbound,
        @DefaultValue Topics topics) {

    public record Reporting(
            @DefaultValue("http://127.0.0.1:8091") URI adoptionUrl,
            @DefaultValue("http://127.0.0.1:8092") URI rolloutUrl,
            @DefaultValue("http://127.0.0.1:8093") URI outcomeUrl,
            @DefaultValue("10s") Duration timeout,
            /* Lifetime of the INTEGRATION tokens the gateway signs for itself; renewed at half-life. */
            @DefaultValue("1h") Duration tokenTtl) {
    }

    public record Signature(
            /* A timestamp further than this from the gateway's clock is refused. */
            @DefaultValue("5m") Duration maxClockSkew,
            /* How long a used nonce is remembered; at least twice the skew, so a replay inside the window is caught. */
            @DefaultValue("10m") Duration nonceTtl,
            /* How often the apps file is checked for changes. */
            @DefaultValue("1s") Duration appsFileCheckInterval,
            @DefaultValue("10MB") DataSize maxBody) {
    }

    public record Outbound(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") Duration backoffBase,
            @DefaultValue("5m") Duration backoffMax,
            /* Attempts before a delivery is parked in the dead-letter list. */
            @DefaultValue("8") int maxAttempts,
            @DefaultValue("10s") Duration requestTimeout,
            /* Consumer group whose committed offsets say which status changes were handled. */
            @DefaultValue("one-network-gateway-webhooks") String consumerGroup,
            /* Deliveries waiting per subscription before the status consumer pauses. */
            @DefaultValue("10000") int maxQueued) {
    }

    public record Topics(
            @DefaultValue("reform.gateway.mappings") String mappings,
            @DefaultValue("reform.gateway.review") String review,
            @DefaultValue("reform.gateway.subscriptions") String subscriptions,
            @DefaultValue("reform.gateway.dead-letters") String deadLetters) {
    }
}
