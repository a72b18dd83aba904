package dev.flock.account;

import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import dev.flock.platform.SharedRateLimits;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Slows password guessing without letting anyone lock an owner out, counted in PostgreSQL so that every instance
 * agrees (tables login_failures and login_failure_ceilings, db/migrations/V8):
 * <ul>
 *   <li>per client address, every attempt ({@code login-per-address});</li>
 *   <li>per (username, address), a back-off: after {@code login-backoff.free-failures} failures in a row, each
 *       further attempt from that address for that username waits {@code first-delay}, doubling with every failure up
 *       to {@code max-delay}; a success clears it;</li>
 *   <li>per username, a ceiling on failures from every address ({@code login-failures-per-username}). Past it, an
 *       address that has failed recently for that username waits until the ceiling refills, while an address with no
 *       recent failure still gets its attempt. So guessing spread over many addresses gets one guess per fresh
 *       address, and the owner, signing in from an address with no failures, is never refused because of guesses
 *       made elsewhere.</li>
 * </ul>
 * Refusals come before the password is checked, so a refused guess tells nothing about the password.
 */
@ApplicationScoped
class SignInThrottle {

    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);

    /** The pair's failures still remembered, how long since the last one, and how far the ceiling runs ahead of now. */
    private static final String STATE = """
            SELECT f.failures,
                   (extract(epoch FROM now() - f.last_failed_at) * 1000)::bigint,
                   (extract(epoch FROM c.tat - now()) * 1000)::bigint
            FROM (SELECT 1) AS one
            LEFT JOIN login_failures f
              ON f.username = $1 AND f.address = $2 AND f.last_failed_at > now() - $3 * interval '1 millisecond'
            LEFT JOIN login_failure_ceilings c ON c.username = $1""";

    /** One more failure for the pair (counting again from 1 once the last is forgotten), charged to the ceiling. */
    private static final String FAILED = """
            WITH pair AS (
              INSERT INTO login_failures AS f (username, address, failures, last_failed_at) VALUES ($1, $2, 1, now())
              ON CONFLICT (username, address) DO UPDATE SET
                failures = CASE WHEN f.last_failed_at > now() - $3 * interval '1 millisecond' THEN f.failures + 1 ELSE 1 END,
                last_failed_at = now())
            INSERT INTO login_failure_ceilings AS c (username, tat) VALUES ($1, now() + $4 * interval '1 millisecond')
            ON CONFLICT (username) DO UPDATE
              SET tat = least(greatest(c.tat, now()) + $4 * interval '1 millisecond', now() + $5 * interval '1 millisecond')""";

    /** Whether the pair had failures on record when it was let in (a success then clears them). */
    record Admission(boolean hadFailures) {
    }

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    AccountsConfig config;

    @Inject
    SharedRateLimits limits;

    private RateLimiter perAddress;
    private long sweeper = -1;

    @PostConstruct
    void init() {
        perAddress = limits.limiter("sign-ins", config.loginPerAddress());
    }

    void start(@Observes StartupEvent event) {
        sweeper = vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), t -> pool.preparedQuery("""
                        WITH pairs AS (DELETE FROM login_failures WHERE last_failed_at < now() - $1 * interval '1 millisecond')
                        DELETE FROM login_failure_ceilings WHERE tat < now()""")
                .execute(Tuple.of(config.loginBackoff().forgetAfter().toMillis()))
                .subscribe().with(x -> { }, e -> LOG.debugf("Sign-in failure sweep failed: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /** Lets an attempt in, or fails with 429 and how long to wait. {@code username} in lower case. */
    Uni<Admission> admit(String username, String address) {
        return perAddress.check(address, "Sign-in attempts from this address")
                .chain(() -> pool.preparedQuery(STATE)
                        .execute(Tuple.of(username, address, config.loginBackoff().forgetAfter().toMillis())))
                .map(rows -> decide(rows.iterator().next()));
    }

    Uni<Void> failed(String username, String address) {
        return pool.preparedQuery(FAILED)
                .execute(Tuple.of(username, address, config.loginBackoff().forgetAfter().toMillis(),
                        config.loginFailuresPerUsername().interval().toMillis(), config.loginFailuresPerUsername().per().toMillis()))
                .replaceWithVoid();
    }

    Uni<Void> succeeded(String username, String address, Admission admission) {
        if (!admission.hadFailures()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("DELETE FROM login_failures WHERE username = $1 AND address = $2")
                .execute(Tuple.of(username, address)).replaceWithVoid();
    }

    private Admission decide(Row row) {
        Integer failures = row.getInteger(0);
        if (failures == null) {
            return new Admission(false);
        }
        AccountsConfig.LoginBackoff backoff = config.loginBackoff();
        if (failures >= backoff.freeFailures()) {
            long delay = backoff.maxDelay().toMillis();
            int doublings = failures - backoff.freeFailures();
            if (doublings < 31) {
                delay = Math.min(delay, backoff.firstDelay().toMillis() << doublings);
            }
            long wait = delay - row.getLong(1);
            if (wait > 0) {
                throw ProblemException.tooManyRequests("Too many failed sign-ins for this account from this address; try again later",
                        Duration.ofMillis(wait));
            }
        }
        Long ceilingAhead = row.getLong(2);
        // The ceiling is reached when one more failure would take it past its period.
        long full = config.loginFailuresPerUsername().per().minus(config.loginFailuresPerUsername().interval()).toMillis();
        if (ceilingAhead != null && ceilingAhead > full) {
            throw ProblemException.tooManyRequests("Too many failed sign-ins for this account; try again later",
                    Duration.ofMillis(ceilingAhead - full));
        }
        return new Admission(true);
    }
}
