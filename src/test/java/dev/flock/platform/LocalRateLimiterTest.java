package dev.flock.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstOfTheLimitThenOneRequestPerInterval() {
        LocalRateLimiter limiter = new LocalRateLimiter(RateLimit.of(10, Duration.ofSeconds(10)), 100);
        long now = 0;
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.acquire("a", now)).as("request %d of the burst", i + 1).isEmpty();
        }
        Optional<Duration> wait = limiter.acquire("a", now);
        assertThat(wait).contains(Duration.ofSeconds(1));
        // Half an interval later: still half an interval to wait; a refused request costs nothing.
        assertThat(limiter.acquire("a", now + SECOND / 2)).contains(Duration.ofMillis(500));
        assertThat(limiter.acquire("a", now + SECOND)).isEmpty();
        assertThat(limiter.acquire("a", now + SECOND)).isPresent();
        // Other keys have their own buckets.
        assertThat(limiter.acquire("b", now + SECOND)).isEmpty();
    }

    @Test
    void aQuietKeyRefillsToAFullBurstAndNoMore() {
        LocalRateLimiter limiter = new LocalRateLimiter(RateLimit.of(3, Duration.ofSeconds(3)), 100);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a", 0)).isEmpty();
        }
        long later = 3600 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a", later)).isEmpty();
        }
        assertThat(limiter.acquire("a", later)).isPresent();
    }

    @Test
    void holdsAtMostItsBoundForgettingTheLeastRecentlyUsedKeys() {
        LocalRateLimiter limiter = new LocalRateLimiter(RateLimit.of(1, Duration.ofHours(1)), 16 * 64);
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire("client-" + i, 0);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(16 * 64);
        // The most recent key is remembered (and over its limit); a long-forgotten one starts again from a full bucket.
        assertThat(limiter.acquire("client-99999", 0)).isPresent();
        assertThat(limiter.acquire("client-0", 0)).isEmpty();
    }

    @Test
    void aKeyInUseIsKeptWhileOthersComeAndGo() {
        LocalRateLimiter limiter = new LocalRateLimiter(RateLimit.of(2, Duration.ofHours(1)), 16 * 8);
        limiter.acquire("busy", 0);
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("passer-" + i, 0);
            if (i % 4 == 0) {
                // Every refused look-up still counts as use.
                limiter.acquire("busy", 0);
            }
        }
        assertThat(limiter.acquire("busy", 0)).isPresent();
    }
}
