package sh.reform.gateway.reporting;

/**
 * Where the reporting service put one report: the event id and the broker's position.
 * {@code duplicate} is true when the event had been published before and nothing new was written.
 */
public record Published(String label, String eventId, String topic, int partition, long offset, boolean duplicate) {
}
