package sh.reform.gateway.signing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nonces seen in the last {@code ttl}, per app key. A signed request carries a timestamp within
 * the allowed skew and a nonce; keeping nonces longer than the whole window (twice the skew)
 * means a captured request cannot be sent again while its timestamp would still pass.
 *
 * <p>In memory, so it holds for one gateway instance; several instances behind a load balancer
 * need the same nonce memory (sticky routing by app key, or a shared store).
 */
final class NonceCache {

    private final long ttlMillis;
    private final Map<String, Long> expiresAt = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    NonceCache(Duration ttl) {
        this.ttlMillis = ttl.toMillis();
    }

    /** True the first time the app uses the nonce within the ttl; records it. */
    boolean firstUse(String appKey, String nonce, long nowMillis) {
        sweep(nowMillis);
        String key = appKey + "\n" + nonce;
        long expiry = nowMillis + ttlMillis;
        Long earlier = expiresAt.putIfAbsent(key, expiry);
        if (earlier == null) {
            return true;
        }
        if (earlier <= nowMillis) {
            return expiresAt.replace(key, earlier, expiry);
        }
        return false;
    }

    long ttlMinutes() {
        return ttlMillis / 60_000;
    }

    int size() {
        return expiresAt.size();
    }

    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + Math.max(1000, ttlMillis / 10);
        expiresAt.values().removeIf(e -> e <= now);
    }
}
