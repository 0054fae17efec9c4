package sh.reform.gateway.review;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import sh.reform.catalog.FieldError;
import sh.reform.gateway.GatewayMeters;
import sh.reform.gateway.mapping.MappingKind;
import sh.reform.gateway.mapping.MappingResolver;
import sh.reform.gateway.mapping.MappingStore;
import sh.reform.gateway.mapping.PendingReport;
import sh.reform.gateway.reporting.Published;
import sh.reform.gateway.reporting.ReportingClient;
import sh.reform.gateway.signing.SignedApp;
import sh.reform.gateway.store.KafkaJsonStore;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;

/**
 * The review queue, kept in the compacted topic {@code reform.gateway.review} (key: item id), so
 * nothing waiting is lost on a restart. Item ids derive from the message and the unmapped key, so
 * a redelivered message does not queue the same thing twice.
 */
public final class ReviewQueue {

    private final KafkaJsonStore<ReviewItem> store;
    private final MappingStore mappings;
    private final ReportingClient reporting;
    private final GatewayMeters meters;
    private final Clock clock;

    public ReviewQueue(KafkaJsonStore<ReviewItem> store, MappingStore mappings, ReportingClient reporting, GatewayMeters meters, Clock clock) {
        this.store = store;
        this.mappings = mappings;
        this.reporting = reporting;
        this.meters = meters;
        this.clock = clock;
    }

    public void requireReady() {
        store.requireCaughtUp();
    }

    public boolean ready() {
        return store.caughtUp();
    }

    /** Queues the unmapped reports of one message, one item per unmapped key; returns the items (new or already queued). */
    public List<ReviewItem> queue(List<PendingReport> unmapped, SignedApp app, String system, String messageId) {
        Map<String, List<PendingReport>> byKey = new LinkedHashMap<>();
        unmapped.forEach(p -> byKey.computeIfAbsent(p.kind() + "/" + p.key(), k -> new ArrayList<>()).add(p));
        List<ReviewItem> out = new ArrayList<>();
        for (List<PendingReport> group : byKey.values()) {
            PendingReport first = group.get(0);
            String id = UUID.nameUUIDFromBytes(("review|" + system + "|" + messageId + "|" + first.kind() + "|" + first.key())
                    .getBytes(StandardCharsets.UTF_8)).toString();
            Optional<ReviewItem> existing = store.get(id);
            if (existing.isPresent()) {
                out.add(existing.get());
                continue;
            }
            String[] reason = reasonOf(first.kind(), first.key(), group);
            ReviewItem item = new ReviewItem(id, ReviewItem.Status.OPEN, first.kind(), first.key(), system, messageId, app,
                    reason[0], reason[1], group, Instant.now(clock), null, null, null, List.of());
            store.put(id, item);
            meters.inbound(system, "queued-for-review", group.size());
            out.add(item);
        }
        return out;
    }

    private static String[] reasonOf(MappingKind kind, String key, List<PendingReport> group) {
        return switch (kind) {
            case SERVICE_ITEM -> new String[] {"一网通办事项“" + key + "”尚未映射到案例举措", "service item '" + key + "' is not mapped to a measure of a case"};
            case SERVICE_FIGURE -> new String[] {"一网通办月报指标“" + key + "”没有映射到" + districtsOf(group) + "的案例指标",
                    "figure '" + key + "' of the monthly report maps to no metric for " + districtsOf(group)};
            case OPERATIONS_INDICATOR -> new String[] {"一网统管指标“" + key + "”没有映射到" + districtsOf(group) + "的案例指标",
                    "operations indicator '" + key + "' maps to no metric for " + districtsOf(group)};
        };
    }

    private static String districtsOf(List<PendingReport> group) {
        List<String> ds = group.stream().map(PendingReport::districtCode).distinct().toList();
        return ds.size() > 3 ? ds.size() + " 个区 / districts" : String.join(",", ds);
    }

    public List<ReviewItem> list(ReviewItem.Status status) {
        return store.all().stream().filter(i -> status == null || i.status() == status)
                .sorted(Comparator.comparing(ReviewItem::queuedAt).thenComparing(ReviewItem::id)).toList();
    }

    public ReviewItem get(String id) {
        return store.get(id).orElseThrow(() -> ApiProblemException.notFound("复核队列中没有“" + id + "”", "no review item '" + id + "'"));
    }

    /**
     * Resolves an open item. {@code {"action": "MAP", "mapping": {…}}} sets the mapping (as the
     * mappings API would) and publishes; {@code {"action": "RETRY"}} publishes with the mappings as
     * they are now; {@code {"action": "DISMISS", "reason": "…"}} closes it without publishing.
     * Other open items waiting for the same key are published too once it maps.
     */
    public synchronized Resolved resolve(String id, JsonNode body, ReformPrincipal who) {
        ReviewItem item = get(id);
        if (item.status() != ReviewItem.Status.OPEN) {
            throw ApiProblemException.conflict("复核事项 " + id + " 已处理（" + item.status() + "）", "review item " + id + " is already " + item.status());
        }
        List<FieldError> errors = new ArrayList<>();
        ReportFields f = new ReportFields(body == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : body, "", errors);
        String action = Optional.ofNullable(f.text("action", true, 20)).map(s -> s.toUpperCase(java.util.Locale.ROOT)).orElse(null);
        if (action != null && !List.of("MAP", "RETRY", "DISMISS").contains(action)) {
            f.error("action", "unknown-value", "action 应为 MAP、RETRY 或 DISMISS", "action must be MAP, RETRY or DISMISS");
        }
        if ("DISMISS".equals(action)) {
            String reason = f.text("reason", true, 500);
            if (!errors.isEmpty()) {
                throw ApiProblemException.invalid(errors);
            }
            ReviewItem done = item.dismissed(who.name(), Instant.now(clock), reason);
            store.put(id, done);
            return new Resolved(done, List.of());
        }
        if ("MAP".equals(action) && (f.raw("mapping") == null || !f.raw("mapping").isObject())) {
            f.error("mapping", "required", "MAP 需要 mapping 对象（与映射接口的请求体相同）", "MAP needs a mapping object (the body of the mappings API)");
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        if ("MAP".equals(action)) {
            mappings.put(item.kind(), item.key(), f.raw("mapping"), who);
        }
        ReviewItem done = publish(item, who);
        if (done.status() != ReviewItem.Status.RESOLVED) {
            throw ApiProblemException.conflict("映射仍未覆盖 " + done.pending().size() + " 条报送（如某些区），事项保持待处理",
                    "the mapping still covers none of " + done.pending().size() + " reports (e.g. some districts); the item stays open");
        }
        List<ReviewItem> others = new ArrayList<>();
        for (ReviewItem other : list(ReviewItem.Status.OPEN)) {
            if (other.kind() == item.kind() && other.key().equals(item.key())) {
                try {
                    others.add(publish(other, who));
                } catch (ApiProblemException e) {
                    // stays open; the city office sees it and can retry it on its own
                }
            }
        }
        return new Resolved(done, others);
    }

    /** The answer to a resolution: the item, and other items for the same key that were published with it. */
    public record Resolved(ReviewItem item, List<ReviewItem> alsoResolved) {
    }

    private ReviewItem publish(ReviewItem item, ReformPrincipal who) {
        MappingResolver.Resolution r = MappingResolver.resolve(item.pending(), mappings::find);
        List<Published> published = reporting.publish(item.app(), r.reports());
        meters.inbound(item.system(), "accepted", (int) published.stream().filter(p -> !p.duplicate()).count());
        ReviewItem next = item.resolved(who.name(), Instant.now(clock), r.unmapped(), published);
        store.put(item.id(), next);
        return next;
    }
}
