package sh.reform.gateway.outbound;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A subscriber system's webhook: where to post, the secret its deliveries are signed with, and
 * what it wants — cases, districts, kinds of change; an empty filter lets everything through, except
 * notifications, which a subscription asks for by naming {@link ChangeKind#NOTIFICATION}.
 */
public record Subscription(String id, String url, String secret, List<String> caseIds, List<String> districtCodes,
                           Set<ChangeKind> kinds, String description, String createdBy, Instant createdAt) {

    public Subscription {
        caseIds = caseIds == null ? List.of() : List.copyOf(caseIds);
        districtCodes = districtCodes == null ? List.of() : List.copyOf(districtCodes);
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
    }

    boolean wants(StatusChange c) {
        return (caseIds.isEmpty() || caseIds.contains(c.caseId()))
                && (districtCodes.isEmpty() || districtCodes.contains(c.districtCode()))
                && (kinds.isEmpty() ? !c.kinds().contains(ChangeKind.NOTIFICATION) : c.kinds().stream().anyMatch(kinds::contains));
    }

    /** As the API shows it: everything but the secret. */
    public record View(String id, String url, List<String> caseIds, List<String> districtCodes, Set<ChangeKind> kinds,
                       String description, String createdBy, Instant createdAt, WebhookDispatcher.LaneState delivery) {
    }
}
