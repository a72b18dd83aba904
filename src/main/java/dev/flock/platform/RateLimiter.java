package dev.flock.platform;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.Optional;

/**
 * One limit (e.g. posts per account), counted in two places: this instance's memory, which refuses a client already
 * over the limit here without a database round trip, then PostgreSQL, which every instance shares and which decides.
 * While PostgreSQL does not answer, this instance's count decides alone. Made by {@link SharedRateLimits#limiter}.
 */
public final class RateLimiter {

    private final String name;
    private final RateLimit limit;
    private final LocalRateLimiter local;
    private final SharedRateLimits shared;

    RateLimiter(String name, RateLimit limit, LocalRateLimiter local, SharedRateLimits shared) {
        this.name = name;
        this.limit = limit;
        this.local = local;
        this.shared = shared;
    }

    /** Takes one request for the key, or fails with 429 problem+json ("{what} too often") and a Retry-After. */
    public Uni<Void> check(String key, String what) {
        Optional<Duration> wait = local.acquire(key);
        if (wait.isPresent()) {
            return Uni.createFrom().failure(tooOften(what, wait.get()));
        }
        return shared.take(name + ":" + key, limit).invoke(answer -> {
            if (answer == SharedRateLimits.Answer.OVER) {
                // The store answers no more than "over": the wait is at most one interval (each allowed request
                // moved the arrival time at most one period ahead of its own time).
                throw tooOften(what, limit.interval());
            }
        }).replaceWithVoid();
    }

    private static ProblemException tooOften(String what, Duration wait) {
        return ProblemException.tooManyRequests(what + " too often; try again later", wait);
    }
}
