package dev.flock.tweet;

import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;

/**
 * Leases this instance's Snowflake worker number from PostgreSQL and renews it. Two live instances never hold the
 * same number: a lease is taken only when free or expired, and this instance stops making ids (503) before its own
 * lease could have expired unrenewed, e.g. while PostgreSQL is unreachable for longer than the TTL.
 */
@ApplicationScoped
public class WorkerLease {

    private static final Logger LOG = Logger.getLogger(WorkerLease.class);
    private static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    TweetsConfig config;

    private final String holder = UUID.randomUUID() + "@" + ProcessHandle.current().pid();
    private volatile SnowflakeIds ids;
    private volatile int worker = -1;
    private volatile long validUntilNanos;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        acquire().await().atMost(Duration.ofSeconds(30));
        timer = vertx.setPeriodic(config.lease().renewEvery().toMillis(), tick -> renew().subscribe().with(x -> { }, e -> { }));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (worker >= 0) {
            pool.preparedQuery("DELETE FROM worker_leases WHERE worker_id = $1 AND holder = $2")
                    .execute(Tuple.of(worker, holder)).onFailure().recoverWithNull().await().atMost(Duration.ofSeconds(5));
        }
    }

    /** The id generator, while the lease is certainly still ours. */
    public SnowflakeIds ids() {
        SnowflakeIds current = ids;
        if (current == null || System.nanoTime() - validUntilNanos > 0) {
            throw new ProblemException(Problem.of(503, "Service Unavailable", "This instance cannot make ids right now; try again"));
        }
        return current;
    }

    public int worker() {
        return worker;
    }

    /** Takes a free or expired worker number, chosen at random so that starting instances rarely collide. */
    Uni<Integer> acquire() {
        long started = System.nanoTime();
        return pool.preparedQuery("""
                        WITH free AS (
                          SELECT n FROM generate_series(0, $3) AS n
                          WHERE NOT EXISTS (SELECT 1 FROM worker_leases l WHERE l.worker_id = n AND l.expires_at > now())
                          ORDER BY random() LIMIT 1)
                        INSERT INTO worker_leases (worker_id, holder, expires_at)
                        SELECT n, $1, now() + $2 * interval '1 millisecond' FROM free
                        ON CONFLICT (worker_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                          WHERE worker_leases.expires_at <= now()
                        RETURNING worker_id""")
                .execute(Tuple.of(holder, config.lease().ttl().toMillis(), SnowflakeIds.MAX_WORKER))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new IllegalStateException("No free worker number (another instance took the one chosen); retrying");
                    }
                    int number = rows.iterator().next().getInteger("worker_id");
                    worker = number;
                    ids = new SnowflakeIds(number);
                    validUntilNanos = started + config.lease().ttl().minus(CLOCK_MARGIN).toNanos();
                    LOG.infof("Leased Snowflake worker number %d", number);
                    return number;
                })
                .onFailure(IllegalStateException.class).retry().withBackOff(Duration.ofMillis(20)).atMost(20);
    }

    Uni<Void> renew() {
        long started = System.nanoTime();
        return pool.preparedQuery("UPDATE worker_leases SET expires_at = now() + $3 * interval '1 millisecond' WHERE worker_id = $1 AND holder = $2")
                .execute(Tuple.of(worker, holder, config.lease().ttl().toMillis()))
                .chain((RowSet<Row> rows) -> {
                    if (rows.rowCount() == 1) {
                        validUntilNanos = started + config.lease().ttl().minus(CLOCK_MARGIN).toNanos();
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("Lost the lease of worker number %d; taking another", worker);
                    return acquire().replaceWithVoid();
                })
                .onFailure().invoke(e -> LOG.warnf("Could not renew the worker lease: %s", e.getMessage()));
    }
}
