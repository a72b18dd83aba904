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

    /** Sign-in attempts per client address (an IPv6 client's whole /64), counted across instances. */
    Limit loginPerAddress();

    /**
     * Failed sign-ins per username from every address. Past it, addresses that failed recently for that username wait
     * until it refills; an address with no recent failure (such as the owner's) still gets its attempt.
     */
    Limit loginFailuresPerUsername();

    /** The back-off of one (username, client address) pair after repeated failures. */
    LoginBackoff loginBackoff();

    /** Account creations per client address. */
    Limit signupPerAddress();

    interface LoginBackoff {
        /** Failures in a row that cost nothing. */
        @WithDefault("5")
        int freeFailures();

        /** The wait after the last free failure; it doubles with every further one. */
        @WithDefault("1s")
        Duration firstDelay();

        @WithDefault("15m")
        Duration maxDelay();

        /** Failures older than this are forgotten (and the pair counts from zero again). */
        @WithDefault("1h")
        Duration forgetAfter();
    }

    interface Limit extends RateLimit {
        @Override
        int requests();

        @Override
        Duration per();
    }
}
