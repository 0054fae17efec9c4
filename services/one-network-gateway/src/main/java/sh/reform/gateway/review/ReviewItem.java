package sh.reform.gateway.review;

import java.time.Instant;
import java.util.List;

import sh.reform.gateway.mapping.MappingKind;
import sh.reform.gateway.mapping.PendingReport;
import sh.reform.gateway.reporting.Published;
import sh.reform.gateway.signing.SignedApp;

/**
 * What came in and mapped to nothing, waiting for the city office: one item per message and per
 * unmapped item code, figure or indicator, holding every district's report of it. Resolved by
 * a mapping (then published) or dismissed with a reason; never dropped.
 */
public record ReviewItem(String id, Status status, MappingKind kind, String key, String system, String messageId, SignedApp app,
                         String reasonZh, String reasonEn, List<PendingReport> pending, Instant queuedAt,
                         String resolvedBy, Instant resolvedAt, String dismissReason, List<Published> published) {

    public enum Status { OPEN, RESOLVED, DISMISSED }

    public ReviewItem {
        pending = pending == null ? List.of() : List.copyOf(pending);
        published = published == null ? List.of() : List.copyOf(published);
    }

    ReviewItem resolved(String who, Instant at, List<PendingReport> stillPending, List<Published> more) {
        List<Published> all = new java.util.ArrayList<>(published);
        all.addAll(more);
        Status s = stillPending.isEmpty() ? Status.RESOLVED : Status.OPEN;
        return new ReviewItem(id, s, kind, key, system, messageId, app, reasonZh, reasonEn, stillPending, queuedAt,
                s == Status.RESOLVED ? who : resolvedBy, s == Status.RESOLVED ? at : resolvedAt, null, all);
    }

    ReviewItem dismissed(String who, Instant at, String reason) {
        return new ReviewItem(id, Status.DISMISSED, kind, key, system, messageId, app, reasonZh, reasonEn, pending, queuedAt,
                who, at, reason, published);
    }
}
