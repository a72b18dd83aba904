package dev.flock.platform;

import java.time.Duration;
import java.util.Optional;

/**
 * A limit counted in this instance's memory, per key, as GCRA does it ("theoretical arrival time": a request is allowed
 * when max(tat, now) plus one emission interval stays within one period of now). It is the first check of every
 * {@link RateLimiter} (a client over the limit on this instance alone is refused without asking PostgreSQL) and the
 * only one while PostgreSQL does not answer.
 *
 * <p>Bounded: at most {@code maxKeys} keys, in segments that each forget their least recently used key first, so
 * every call is O(1) and nothing ever scans. Forgetting a key only lets its client in sooner, never later.
 */
public final class LocalRateLimiter {

    private static final int SEGMENTS = 16;

    private final long intervalNanos;
    private final long periodNanos;
    private final Segment[] segments = new Segment[SEGMENTS];

    public LocalRateLimiter(RateLimit limit, int maxKeys) {
        this.intervalNanos = limit.per().toNanos() / limit.requests();
        this.periodNanos = limit.per().toNanos();
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(Math.max(1, maxKeys / SEGMENTS));
        }
    }

    /** Takes one request for the key; when it is over the limit, answers how long until it would not be. */
    public Optional<Duration> acquire(String key) {
        return acquire(key, System.nanoTime());
    }

    Optional<Duration> acquire(String key, long now) {
        Segment segment = segments[Math.floorMod(key.hashCode(), SEGMENTS)];
        synchronized (segment) {
            long[] tat = segment.get(key);
            long from = tat == null || tat[0] - now < 0 ? now : tat[0];
            long next = from + intervalNanos;
            if (next - now > periodNanos) {
                return Optional.of(Duration.ofNanos(next - now - periodNanos));
            }
            if (tat == null) {
                segment.put(key, new long[] {next});
            } else {
                tat[0] = next;
            }
            return Optional.empty();
        }
    }

    int size() {
        int size = 0;
        for (Segment segment : segments) {
            synchronized (segment) {
                size += segment.size();
            }
        }
        return size;
    }

    /** Keys in access order, the eldest dropped past the bound. */
    private static final class Segment extends BoundedMap<String, long[]> {
        Segment(int maxKeys) {
            super(maxKeys, true);
        }
    }
}
