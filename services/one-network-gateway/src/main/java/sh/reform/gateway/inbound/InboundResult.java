package sh.reform.gateway.inbound;

import java.util.List;

import sh.reform.gateway.reporting.Published;
import sh.reform.gateway.review.ReviewItem;

/**
 * The answer to an inbound message: what was published through the reporting path (with the
 * broker positions; {@code duplicate} for a redelivered message) and what waits in the review queue.
 */
public record InboundResult(String status, String messageId, int published, int duplicates, int queuedForReview,
                            List<Published> receipts, List<Queued> review) {

    /** One review item the message left. */
    public record Queued(String reviewId, String kind, String key, int reports, String reasonZh, String reasonEn) {
        static Queued of(ReviewItem i) {
            return new Queued(i.id(), i.kind().path(), i.key(), i.pending().size(), i.reasonZh(), i.reasonEn());
        }
    }

    static InboundResult of(String messageId, List<Published> receipts, List<ReviewItem> queued) {
        int dup = (int) receipts.stream().filter(Published::duplicate).count();
        int waiting = queued.stream().mapToInt(i -> i.pending().size()).sum();
        return new InboundResult("accepted", messageId, receipts.size() - dup, dup, waiting, receipts,
                queued.stream().map(Queued::of).toList());
    }
}
