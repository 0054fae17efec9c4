package sh.reform.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When the launcher restarts a child that died, as systemd's {@code Restart=on-failure} with
 * {@code StartLimitBurst}/{@code StartLimitIntervalSec} would: after the k-th failure within the window the
 * child is started again after {@code initialBackoff · 2^(k-1)} (at most {@code maxBackoff}); once it has
 * been restarted {@code limit} times within {@code window} and fails again, the launcher gives up. Pure
 * logic: the clock is passed in.
 */
public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, int limit, Duration window) {

    /** 1 s, doubling up to 30 s; give up after 5 restarts within 5 minutes. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5,
            Duration.ofMinutes(5));

    public RestartPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("back-off must be 0 ≤ initial ≤ max: " + initialBackoff + ", " + maxBackoff);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("the restart limit is ≥ 0: " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the restart window is > 0: " + window);
        }
    }

    public RestartPolicy withLimit(int newLimit, Duration newWindow) {
        return new RestartPolicy(initialBackoff, maxBackoff, newLimit, newWindow);
    }

    /** What to do about one failure. */
    public sealed interface Decision permits Restart, GiveUp {
    }

    /** Start it again after {@code delay}; this will be its {@code number}-th restart since the launcher started. */
    public record Restart(int number, Duration delay) implements Decision {
    }

    /** Stop everything: it was restarted {@code restartsInWindow} times within the window and failed again. */
    public record GiveUp(int restartsInWindow, int limit, Duration window) implements Decision {
    }

    /** One child's restarts so far; not thread-safe (one supervisor thread per child at a time). */
    public History history() {
        return new History(this);
    }

    public static final class History {
        private final RestartPolicy policy;
        private final Deque<Instant> recent = new ArrayDeque<>();
        private int total;

        private History(RestartPolicy policy) {
            this.policy = policy;
        }

        /** The child failed at {@code now} (it exited, or a restart did not become ready): restart or give up. */
        public Decision onFailure(Instant now) {
            Instant from = now.minus(policy.window());
            while (!recent.isEmpty() && recent.peekFirst().isBefore(from)) {
                recent.pollFirst();
            }
            int inWindow = recent.size();
            if (inWindow >= policy.limit()) {
                return new GiveUp(inWindow, policy.limit(), policy.window());
            }
            recent.addLast(now);
            total++;
            return new Restart(total, backoff(inWindow));
        }

        private Duration backoff(int earlierInWindow) {
            Duration delay = policy.initialBackoff();
            for (int i = 0; i < earlierInWindow && delay.compareTo(policy.maxBackoff()) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : delay;
        }

        /** Restarts since the launcher started. */
        public int total() {
            return total;
        }
    }
}
