package sh.reform.gateway.mapping;

import tools.jackson.databind.node.ObjectNode;

/**
 * A report that still needs a mapping: everything the one-network message said for one district
 * and one item or figure ({@code fields}: occurredAt, stage, value, period …), and the key of the
 * mapping that completes it. The event id is derived from {@code eventSeed} (the system and the
 * message id, plus what the mapping adds), so a redelivered message publishes nothing new, also
 * when it was resolved from the review queue in between.
 */
public record PendingReport(MappingKind kind, String key, String districtCode, String source, String eventSeed,
                            ObjectNode fields, String label) {
}
