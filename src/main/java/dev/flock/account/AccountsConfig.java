package dev.flock.account;

import dev.flock.platform.RateLimit;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "flock.accounts")
public interface AccountsConfig {

    /** How long a session token is valid. */
    @WithDefault("24h")
    Duration tokenLifetime();

    /**
     * How often each instance polls PostgreSQL for revoked sessions: a signed-out token is refused on every instance
     * within about this long.
     */
    @WithDefault("1s")
    Duration revocationRefresh();

    /** bcrypt cost factor (log2 rounds); each step doubles the time a login and a guess take. */
    @WithDefault("11")
    int bcryptCost();

    /** Login attempts per username. */
    Limit loginPerUsername();

    /** Login attempts per client address. */
    Limit loginPerAddress();

    /** Account creations per client address. */
    Limit signupPerAddress();

    interface Limit extends RateLimit {
        @Override
        int requests();

        @Override
        Duration per();
    }
}
