package sh.reform.gateway;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gateway's counters, for dashboards and alerts: {@code reform.gateway.inbound} by system and
 * outcome (accepted, rejected, queued-for-review) and {@code reform.gateway.outbound} by outcome
 * (delivered, retried, parked).
 */
@Component
public class GatewayMeters {

    private final MeterRegistry registry;

    GatewayMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void inbound(String system, String outcome) {
        inbound(system, outcome, 1);
    }

    public void inbound(String system, String outcome, int count) {
        registry.counter("reform.gateway.inbound", "system", system, "outcome", outcome).increment(count);
    }

    public void outbound(String outcome) {
        registry.counter("reform.gateway.outbound", "outcome", outcome).increment();
    }
}
