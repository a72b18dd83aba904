package dev.flock.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How rate limits are counted (the limits themselves belong to the features: accounts, tweets, follows). */
@ConfigMapping(prefix = "flock.rate-limits")
public interface RateLimitsConfig {

    /** Keys each limit keeps in this instance's memory (least recently used forgotten first). */
    @WithDefault("100000")
    int localKeys();

    /**
     * How long a check waits for PostgreSQL before this instance's own count decides alone. Posting must not depend on
     * PostgreSQL, so this is short.
     */
    @WithDefault("500ms")
    Duration sharedTimeout();

    /** After PostgreSQL failed to answer a check, how long checks skip it (and count locally) before trying again. */
    @WithDefault("2s")
    Duration sharedPause();

    /** How often each instance deletes rows of the shared limits that no longer say anything. */
    @WithDefault("5m")
    Duration sweepEvery();
}
