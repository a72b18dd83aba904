package dev.flock.tweet;

import dev.flock.platform.RateLimit;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "flock.tweets")
public interface TweetsConfig {

    /** Posts per account. */
    PostLimit postsPerAccount();

    /** How long an Idempotency-Key returns the first tweet. */
    @WithDefault("24h")
    Duration idempotencyWindow();

    /** How long a retry with an Idempotency-Key waits for an earlier attempt still in flight before answering 503. */
    @WithDefault("10s")
    Duration postWaitForClaim();

    /** Worker-number leases (Snowflake ids). */
    Lease lease();

    interface PostLimit extends RateLimit {
        @Override
        @WithDefault("60")
        int requests();

        @Override
        @WithDefault("1m")
        Duration per();
    }

    interface Lease {
        /** How long a lease lasts without renewal; ids stop (503) before it could lapse. */
        @WithDefault("5m")
        Duration ttl();

        @WithDefault("30s")
        Duration renewEvery();
    }
}
