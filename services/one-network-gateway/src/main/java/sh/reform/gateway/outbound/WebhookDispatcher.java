package sh.reform.gateway.outbound;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sh.reform.gateway.GatewayMeters;
import sh.reform.gateway.GatewaySettings;
import sh.reform.gateway.signing.RequestSigner;
import sh.reform.gateway.store.KafkaJsonStore;

/**
 * Delivers status changes to webhooks: one FIFO lane per subscription, so each subscriber gets
 * the changes of a cell in the order they happened; at least once (a change leaves its lane only
 * when delivered or parked, and only then counts as handled for the consumer's offsets); retried
 * with exponential back-off ({@code base · 2^(n-1)}, at most {@code max}, or the subscriber's
 * Retry-After); parked in the dead-letter list after {@code maxAttempts} failures.
 *
 * <p>Once a cell has a parked change for a subscriber, later changes of that cell are parked
 * behind it, so a replay (oldest first) keeps the cell's order. A subscriber whose delivery was
 * just parked is taken as down: its next changes get one attempt each until one succeeds, so a
 * dead endpoint does not hold every change for the whole back-off.
 *
 * <p>Each POST carries the CloudEvent as {@code application/cloudevents+json} and
 * {@code X-Reform-Signature: sha256=<hex HMAC-SHA256 of the body with the subscription's secret>},
 * {@code X-Reform-Delivery-Id} (the CloudEvent id: the same for every retry, replay and
 * redelivery after a restart — receivers deduplicate on it) and {@code X-Reform-Delivery-Attempt}.
 */
public final class WebhookDispatcher implements AutoCloseable {

    public static final String SIGNATURE = "X-Reform-Signature";
    public static final String DELIVERY_ID = "X-Reform-Delivery-Id";
    public static final String ATTEMPT = "X-Reform-Delivery-Attempt";
    public static final String SUBSCRIPTION = "X-Reform-Subscription-Id";

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final KafkaJsonStore<DeadLetter> deadLetters;
    private final GatewaySettings.Outbound settings;
    private final GatewayMeters meters;
    private final HttpClient http;
    private final ScheduledExecutorService pool;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Set<String> replaying = ConcurrentHashMap.newKeySet();
    private final AtomicLong order = new AtomicLong(System.currentTimeMillis() * 1000);

    public WebhookDispatcher(KafkaJsonStore<DeadLetter> deadLetters, GatewaySettings.Outbound settings, GatewayMeters meters) {
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.meters = meters;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.pool = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "webhook-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    /** How a subscription's deliveries stand. */
    public record LaneState(int queued, long delivered, long retried, long parked, boolean down, String lastError) {
    }

    /** Hands the change to every subscription that wants it; {@code done} runs once all of them delivered or parked it. */
    void submit(StatusChange change, Collection<Subscription> subscriptions, Runnable done) {
        List<Subscription> wanting = subscriptions.stream().filter(s -> s.wants(change)).toList();
        if (wanting.isEmpty()) {
            done.run();
            return;
        }
        AtomicInteger left = new AtomicInteger(wanting.size());
        Runnable one = () -> {
            if (left.decrementAndGet() == 0) {
                done.run();
            }
        };
        for (Subscription s : wanting) {
            lane(s).enqueue(new Delivery(change.eventId(), change.cellKey(), change.cloudEvent(), false, one));
        }
    }

    /** Puts the subscription's dead letters back at the head of its lane, oldest first; returns how many. */
    int replay(Subscription s) {
        List<DeadLetter> letters = deadLetters(s.id()).stream().filter(d -> !replaying.contains(d.storeKey())).toList();
        List<Delivery> ds = new ArrayList<>();
        for (DeadLetter d : letters) {
            replaying.add(d.storeKey());
            ds.add(new Delivery(d.eventId(), d.cellKey(), d.cloudEvent(), true, () -> { }));
        }
        lane(s).enqueueFirst(ds);
        return ds.size();
    }

    List<DeadLetter> deadLetters(String subscriptionId) {
        return deadLetters.view().stream().filter(d -> d.subscriptionId().equals(subscriptionId))
                .sorted(Comparator.comparingLong(DeadLetter::order)).toList();
    }

    LaneState state(Subscription s) {
        Lane l = lanes.get(s.id());
        long parked = deadLetters(s.id()).size();
        return l == null ? new LaneState(0, 0, 0, parked, false, null) : l.state(parked);
    }

    /** Drops a removed subscription: its lane (its changes count as handled) and its dead letters. */
    void forget(String subscriptionId) {
        Lane l = lanes.remove(subscriptionId);
        if (l != null) {
            l.close();
        }
        deadLetters(subscriptionId).forEach(d -> deadLetters.delete(d.storeKey()));
    }

    int queued() {
        return lanes.values().stream().mapToInt(Lane::size).sum();
    }

    int maxQueued() {
        return lanes.values().stream().mapToInt(Lane::size).max().orElse(0);
    }

    private Lane lane(Subscription s) {
        return lanes.compute(s.id(), (id, l) -> {
            if (l == null) {
                return new Lane(s);
            }
            l.subscription = s;
            return l;
        });
    }

    private boolean parkedAhead(String subscriptionId, String cellKey) {
        for (DeadLetter d : deadLetters.view()) {
            if (d.subscriptionId().equals(subscriptionId) && d.cellKey().equals(cellKey) && !replaying.contains(d.storeKey())) {
                return true;
            }
        }
        return false;
    }

    Duration backoff(int failedAttempts) {
        long base = settings.backoffBase().toMillis();
        long d = base << Math.min(30, failedAttempts - 1);
        return Duration.ofMillis(Math.min(settings.backoffMax().toMillis(), d < 0 ? Long.MAX_VALUE : d));
    }

    static String sign(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(RequestSigner.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private static final class Delivery {
        final String eventId;
        final String cellKey;
        final String body;
        final boolean replay;
        final Runnable done;
        int attempts;

        Delivery(String eventId, String cellKey, String body, boolean replay, Runnable done) {
            this.eventId = eventId;
            this.cellKey = cellKey;
            this.body = body;
            this.replay = replay;
            this.done = done;
        }
    }

    /** One subscription's queue; one delivery in flight at a time. */
    private final class Lane {

        volatile Subscription subscription;
        private final Deque<Delivery> queue = new ArrayDeque<>();
        private boolean busy;
        private boolean down;
        private boolean closed;
        private long delivered;
        private long retried;
        private String lastError;

        Lane(Subscription subscription) {
            this.subscription = subscription;
        }

        synchronized int size() {
            return queue.size();
        }

        synchronized LaneState state(long parked) {
            return new LaneState(queue.size(), delivered, retried, parked, down, lastError);
        }

        synchronized void enqueue(Delivery d) {
            if (closed) {
                d.done.run();
                return;
            }
            queue.addLast(d);
            kick();
        }

        synchronized void enqueueFirst(List<Delivery> ds) {
            for (int i = ds.size() - 1; i >= 0; i--) {
                queue.addFirst(ds.get(i));
            }
            kick();
        }

        synchronized void close() {
            closed = true;
            queue.forEach(d -> d.done.run());
            queue.clear();
        }

        private void kick() {
            if (!busy && !queue.isEmpty() && !closed) {
                busy = true;
                pool.execute(this::step);
            }
        }

        private synchronized void next(Duration delay) {
            if (delay == null || delay.isZero()) {
                busy = false;
                kick();
            } else {
                pool.schedule(this::step, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void step() {
            Delivery d;
            synchronized (this) {
                d = queue.peekFirst();
                if (d == null || closed) {
                    busy = false;
                    return;
                }
            }
            Subscription s = subscription;
            try {
                if (!d.replay && parkedAhead(s.id(), d.cellKey)) {
                    park(s, d, "an earlier change of " + d.cellKey + " is parked; kept behind it to keep the order");
                    finish(d);
                    next(Duration.ZERO);
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("cannot park for {} yet ({}); trying again", s.id(), e.toString());
                next(settings.backoffBase());
                return;
            }
            d.attempts++;
            byte[] body = d.body.getBytes(StandardCharsets.UTF_8);
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(s.url())).timeout(settings.requestTimeout())
                        .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                        .header(SIGNATURE, sign(s.secret(), body))
                        .header(DELIVERY_ID, d.eventId)
                        .header(SUBSCRIPTION, s.id())
                        .header(ATTEMPT, Integer.toString(d.attempts))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            } catch (RuntimeException e) {
                failed(s, d, "cannot build the request: " + e.getMessage(), null);
                return;
            }
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenCompleteAsync((r, e) -> {
                if (e == null && r.statusCode() / 100 == 2) {
                    delivered(d);
                } else if (e != null) {
                    failed(s, d, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
                } else {
                    failed(s, d, "HTTP " + r.statusCode(), r.headers().firstValue("Retry-After").orElse(null));
                }
            }, pool);
        }

        private void delivered(Delivery d) {
            if (d.replay) {
                try {
                    deadLetters.delete(DeadLetter.key(subscription.id(), d.eventId));
                } catch (RuntimeException e) {
                    // delivered but still listed: a later replay sends it again, which at-least-once allows
                    log.warn("delivered {} but could not remove its dead letter: {}", d.eventId, e.toString());
                }
                replaying.remove(DeadLetter.key(subscription.id(), d.eventId));
            }
            meters.outbound("delivered");
            synchronized (this) {
                delivered++;
                down = false;
            }
            finish(d);
            next(Duration.ZERO);
        }

        private void failed(Subscription s, Delivery d, String error, String retryAfter) {
            boolean giveUp;
            synchronized (this) {
                lastError = error;
                giveUp = d.attempts >= settings.maxAttempts() || (down && !d.replay);
            }
            if (!giveUp) {
                meters.outbound("retried");
                synchronized (this) {
                    retried++;
                }
                next(delay(d.attempts, retryAfter));
                return;
            }
            try {
                park(s, d, error);
            } catch (RuntimeException e) {
                log.warn("cannot park {} for {} ({}); trying again", d.eventId, s.id(), e.toString());
                next(settings.backoffBase());
                return;
            }
            synchronized (this) {
                down = true;
            }
            finish(d);
            next(Duration.ZERO);
        }

        private Duration delay(int attempts, String retryAfter) {
            Duration d = backoff(attempts);
            if (retryAfter != null) {
                try {
                    Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
                    d = asked.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : asked;
                } catch (NumberFormatException ignored) {
                    // an HTTP date: keep our own back-off
                }
            }
            return d;
        }

        private void park(Subscription s, Delivery d, String error) {
            String key = DeadLetter.key(s.id(), d.eventId);
            long at = d.replay ? deadLetters.get(key).map(DeadLetter::order).orElse(order.incrementAndGet()) : order.incrementAndGet();
            deadLetters.put(key, new DeadLetter(s.id(), d.eventId, d.cellKey, at, d.body, d.attempts, error, Instant.now()));
            replaying.remove(key);
            meters.outbound("parked");
            log.info("parked {} for subscription {} after {} attempt(s): {}", d.eventId, s.id(), d.attempts, error);
        }

        private void finish(Delivery d) {
            synchronized (this) {
                queue.removeFirstOccurrence(d);
            }
            d.done.run();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
