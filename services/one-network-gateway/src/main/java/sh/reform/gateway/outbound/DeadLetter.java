package sh.reform.gateway.outbound;

import java.time.Instant;

/**
 * A delivery that failed every attempt (or waited behind one that did, for the same cell),
 * parked for an operator to see and replay. Kept in the compacted topic
 * {@code reform.gateway.dead-letters} until it is delivered, so a restart loses none.
 *
 * @param order     parking order; replay follows it, which keeps each cell's changes in order
 * @param cloudEvent the exact body that will be posted again (same id)
 */
public record DeadLetter(String subscriptionId, String eventId, String cellKey, long order, String cloudEvent,
                         int attempts, String lastError, Instant parkedAt) {

    String storeKey() {
        return key(subscriptionId, eventId);
    }

    static String key(String subscriptionId, String eventId) {
        return subscriptionId + "|" + eventId;
    }
}
