package dev.flock.follow;

import dev.flock.platform.RateLimit;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "flock.follows")
public interface FollowsConfig {

    /**
     * How many accounts one account may follow. Every open stream of an account holds index entries per followee and
     * every stream open or replay reads them all, so the cap bounds what one account costs an instance.
     */
    @WithDefault("5000")
    int maxFollowing();

    /** Follows and unfollows per account, counted across instances. */
    ChangeLimit changesPerAccount();

    interface ChangeLimit extends RateLimit {
        @Override
        @WithDefault("400")
        int requests();

        @Override
        @WithDefault("1h")
        Duration per();
    }
}
