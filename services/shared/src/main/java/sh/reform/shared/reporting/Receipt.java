package sh.reform.shared.reporting;

/**
 * The answer to an accepted report: where the broker stored it. {@code duplicate} is true when
 * the same report had been accepted before and nothing new was published.
 */
public record Receipt(String eventId, String topic, int partition, long offset, boolean duplicate) {

    public Receipt asDuplicate() {
        return new Receipt(eventId, topic, partition, offset, true);
    }
}
