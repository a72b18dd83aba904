package dev.flock.live;

import dev.flock.platform.BoundedMap;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;

/**
 * The tweets whose delete is already in the log, so a second delete record of one tweet is recognised. The outbox
 * relay publishes at least once: a request that publishes its own event races the relay for events older than
 * {@code flock.outbox.relay-after}, and an instance killed between publishing and removing leaves the event to the
 * relay (the chaos test saw the same delete at offsets 291 and 292 of one partition, and a reader got it twice). The
 * first record is the delete: it is the one the store records (tweets.deleted_offset) and replays send.
 *
 * <p>This instance's live consumer starts at the stored position; a delete the store applied before that is loaded
 * then from PostgreSQL (the last {@value #SEED_HOURS} hours of deletes, the newest {@value #CAPACITY} at most), so a
 * duplicate arriving after a restart is recognised too. Bounded: beyond {@value #CAPACITY} deletes the oldest are
 * forgotten (a duplicate of one of those would be sent again).
 */
@ApplicationScoped
public class RecentDeletes {

    private static final Logger LOG = Logger.getLogger(RecentDeletes.class);
    static final int CAPACITY = 100_000;
    static final int SEED_HOURS = 1;

    @Inject
    Pool pool;

    private final Map<Long, Boolean> deleted = new BoundedMap<>(CAPACITY, false);

    /**
     * Loads the deletes the store has applied, when this instance's live consumer takes its start positions (from
     * {@link LiveLogSeek}, right after reading the stored positions): every delete whose first record lies below
     * where the consumer starts is known from then on.
     */
    void seed() {
        try {
            // Only deletes the store has applied from the log (deleted_offset set): their first record lies below the
            // stored position, where this instance's live consumer starts. A DELETE request marks its row
            // (deleted_at) before its record is in the log; seeding that one would drop its first record as a repeat
            // and its streams would never get the delete.
            var rows = pool.preparedQuery("SELECT id FROM tweets WHERE deleted_at > now() - $1 * interval '1 hour' "
                            + "AND deleted_offset IS NOT NULL ORDER BY deleted_at LIMIT " + CAPACITY)
                    .execute(Tuple.of(SEED_HOURS)).await().atMost(Duration.ofSeconds(10));
            synchronized (deleted) {
                for (Row row : rows) {
                    deleted.put(row.getLong(0), Boolean.TRUE);
                }
            }
            LOG.debugf("%d recent deletes loaded", rows.rowCount());
        } catch (RuntimeException e) {
            LOG.warnf("Recent deletes not loaded (%s): a duplicate delete record of one stored before this start would be sent again", e.toString());
        }
    }

    /** True the first time the tweet's delete is seen; false for every later record deleting it again. */
    boolean first(long tweetId) {
        synchronized (deleted) {
            return deleted.put(tweetId, Boolean.TRUE) == null;
        }
    }
}
