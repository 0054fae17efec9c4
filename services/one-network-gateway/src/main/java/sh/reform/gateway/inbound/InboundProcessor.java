package sh.reform.gateway.inbound;

import java.util.List;

import sh.reform.gateway.GatewayMeters;
import sh.reform.gateway.mapping.MappingResolver;
import sh.reform.gateway.mapping.MappingStore;
import sh.reform.gateway.reporting.Published;
import sh.reform.gateway.reporting.ReportingClient;
import sh.reform.gateway.review.ReviewItem;
import sh.reform.gateway.review.ReviewQueue;
import sh.reform.gateway.signing.SignedApp;

/**
 * One inbound message, start to end: map what can be mapped, publish it through the reporting
 * path, queue the rest for review. Publishing comes first: when the reporting service refuses or
 * is unavailable nothing is queued either, and the caller's retry (same message id, same event
 * ids) does it all once.
 */
@org.springframework.stereotype.Component
final class InboundProcessor {

    private final MappingStore mappings;
    private final ReviewQueue review;
    private final ReportingClient reporting;
    private final GatewayMeters meters;

    InboundProcessor(MappingStore mappings, ReviewQueue review, ReportingClient reporting, GatewayMeters meters) {
        this.mappings = mappings;
        this.review = review;
        this.reporting = reporting;
        this.meters = meters;
    }

    InboundResult process(String system, SignedApp app, InboundMessage message) {
        mappings.requireReady();
        review.requireReady();
        MappingResolver.Resolution r = MappingResolver.resolve(message.pending(), mappings::find);
        List<Published> published = reporting.publish(app, r.reports());
        meters.inbound(system, "accepted", (int) published.stream().filter(p -> !p.duplicate()).count());
        List<ReviewItem> queued = review.queue(r.unmapped(), app, system, message.messageId());
        return InboundResult.of(message.messageId(), published, queued);
    }
}
