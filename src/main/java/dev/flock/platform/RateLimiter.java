package dev.flock.platform;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (an account, a client address) in this instance's memory: {@code requests} per {@code per},
 * refilled continuously. The map is bounded: once it holds {@code maxKeys} keys, buckets that have refilled are
 * dropped, since a full bucket is the same as no bucket.
 */
public final class RateLimiter {

    private final double capacity;
    private final double refillPerNano;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimit limit) {
        this(limit, 100_000);
    }

    RateLimiter(RateLimit limit, int maxKeys) {
        this.capacity = limit.requests();
        this.refillPerNano = limit.requests() / (double) limit.per().toNanos();
        this.maxKeys = maxKeys;
    }

    /** Takes one token for the key; when there is none, answers how long until there is. */
    public Optional<Duration> acquire(String key) {
        long now = System.nanoTime();
        if (buckets.size() >= maxKeys) {
            buckets.values().removeIf(b -> b.tokensAt(now) >= capacity);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        return bucket.take(now);
    }

    public void check(String key, String what) {
        acquire(key).ifPresent(wait -> {
            throw ProblemException.tooManyRequests(what + " too often; try again later", wait);
        });
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized double tokensAt(long now) {
            return Math.min(capacity, tokens + (now - at) * refillPerNano);
        }

        synchronized Optional<Duration> take(long now) {
            tokens = tokensAt(now);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / refillPerNano)));
        }
    }
}
