package sh.reform.notify.topology;

import io.micrometer.core.instrument.MeterRegistry;

/** {@code reform.notifications.received{outcome}} and {@code reform.notifications.mail{outcome}}. */
public final class IntakeMetrics {

    private final MeterRegistry meters;

    public IntakeMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void received(String outcome) {
        meters.counter("reform.notifications.received", "outcome", outcome).increment();
    }

    void mail(String outcome) {
        meters.counter("reform.notifications.mail", "outcome", outcome).increment();
    }
}
