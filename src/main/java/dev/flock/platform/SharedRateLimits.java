package dev.flock.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Rate limits counted in PostgreSQL, which every instance shares, so N instances allow what one would (table
 * rate_limits, db/migrations/V8). Each check is one statement, one round trip: GCRA's conditional update of the key's
 * theoretical arrival time. When PostgreSQL does not answer within {@code flock.rate-limits.shared-timeout}, the check
 * is left to this instance's own count ({@link LocalRateLimiter}) and PostgreSQL is not asked again for
 * {@code shared-pause}: posting keeps working while the database is down, each instance then allowing the limit on
 * its own.
 */
@ApplicationScoped
public class SharedRateLimits {

    private static final Logger LOG = Logger.getLogger(SharedRateLimits.class);

    /** Allowed: the row is inserted, or updated because the new arrival time stays within one period; refused: no row. */
    private static final String TAKE = """
            INSERT INTO rate_limits AS r (bucket, tat) VALUES ($1, now() + $2 * interval '1 microsecond')
            ON CONFLICT (bucket) DO UPDATE SET tat = greatest(r.tat, now()) + $2 * interval '1 microsecond'
              WHERE greatest(r.tat, now()) + $2 * interval '1 microsecond' <= now() + $3 * interval '1 microsecond'
            RETURNING 1""";

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    RateLimitsConfig config;

    @Inject
    MeterRegistry registry;

    private volatile long askAgainAt = System.nanoTime();
    private volatile boolean unavailable;
    private Counter localOnly;
    private long sweeper = -1;

    void start(@Observes StartupEvent event) {
        localOnly = Counter.builder("flock.rate.limit.local.only")
                .description("Rate limit checks decided by this instance alone because PostgreSQL did not answer").register(registry);
        sweeper = vertx.setPeriodic(config.sweepEvery().toMillis(), t -> pool
                .query("DELETE FROM rate_limits WHERE tat < now()").execute()
                .subscribe().with(x -> { }, e -> LOG.debugf("Rate limit sweep failed: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /** A limit counted first on this instance, then in PostgreSQL; {@code name} keeps its keys apart from other limits'. */
    public RateLimiter limiter(String name, RateLimit limit) {
        return new RateLimiter(name, limit, new LocalRateLimiter(limit, config.localKeys()), this);
    }

    /** What PostgreSQL said about one request. */
    enum Answer { ALLOWED, OVER, NO_ANSWER }

    /** Takes one request from the shared bucket. */
    Uni<Answer> take(String bucket, RateLimit limit) {
        if (System.nanoTime() - askAgainAt < 0) {
            localOnly.increment();
            return Uni.createFrom().item(Answer.NO_ANSWER);
        }
        // A timeout fires on a timer thread: the answer goes back to the caller's Vert.x context, where Hibernate
        // Reactive sessions of the same request must continue.
        Executor back = OnContext.current();
        return pool.preparedQuery(TAKE)
                .execute(Tuple.of(bucket, micros(limit.interval().toNanos()), micros(limit.per().toNanos())))
                .map(rows -> {
                    if (unavailable) {
                        unavailable = false;
                        LOG.info("Rate limits are shared through PostgreSQL again");
                    }
                    return rows.rowCount() == 1 ? Answer.ALLOWED : Answer.OVER;
                })
                .ifNoItem().after(config.sharedTimeout()).fail()
                .onFailure().recoverWithUni(e -> {
                    askAgainAt = System.nanoTime() + config.sharedPause().toNanos();
                    localOnly.increment();
                    if (!unavailable) {
                        unavailable = true;
                        LOG.warnf("Rate limits counted per instance: PostgreSQL did not answer (%s)", e.toString());
                    }
                    return Uni.createFrom().item(Answer.NO_ANSWER).emitOn(back);
                });
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
