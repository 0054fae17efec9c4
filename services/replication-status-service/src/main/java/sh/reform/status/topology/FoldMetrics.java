package sh.reform.status.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the topology counts, as Micrometer counters (Prometheus: {@code reform_status_records_total} …):
 * records processed per topic and outcome, dead-lettered per topic and reason, status changes and
 * alerts per new colour. Under exactly-once a task that is aborted and retried counts its records again:
 * these are operating figures, the status itself never double-counts.
 */
public final class FoldMetrics {

    public static final String RECORDS = "reform.status.records";
    public static final String DEAD_LETTERED = "reform.status.dead.lettered";
    public static final String STATUS_CHANGES = "reform.status.changes";
    public static final String ALERTS = "reform.status.alerts";
    public static final String NOTIFICATIONS = "reform.status.notifications";

    private final MeterRegistry registry;

    public FoldMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void applied(String topic) {
        records(topic, "applied").increment();
    }

    void duplicate(String topic) {
        records(topic, "duplicate").increment();
    }

    void deadLettered(String topic, String reason) {
        records(topic, "dead-lettered").increment();
        Counter.builder(DEAD_LETTERED).description("records sent to the dead-letter topic")
                .tag("topic", topic).tag("reason", reason).register(registry).increment();
    }

    void statusChanged(String cause) {
        Counter.builder(STATUS_CHANGES).description("status records published")
                .tag("cause", cause).register(registry).increment();
    }

    void alert(String health) {
        Counter.builder(ALERTS).description("health changes published on the alerts topic")
                .tag("health", health).register(registry).increment();
    }

    void notification(String kind) {
        Counter.builder(NOTIFICATIONS).description("reminders and supervision notices produced on the notifications topic")
                .tag("kind", kind).register(registry).increment();
    }

    private Counter records(String topic, String outcome) {
        return Counter.builder(RECORDS).description("event records read by the fold")
                .tag("topic", topic).tag("outcome", outcome).register(registry);
    }
}
