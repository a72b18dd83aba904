package dev.flock.timeline;

import dev.flock.platform.TimelineLog;
import dev.flock.tweet.TweetReads;
import dev.flock.tweet.TweetView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;

/**
 * The home timeline, fanned out on read: for the reader and each account they follow, the newest matching tweets
 * through the (author_id, id DESC) index, at most one page per author, then merged by id. The cost grows with the
 * number of accounts followed, not with how many tweets exist.
 */
@ApplicationScoped
public class HomeTimeline {

    private static final String PAGE = """
            SELECT %s
            FROM (SELECT followee_id AS author_id FROM follows WHERE follower_id = ?1 UNION ALL SELECT ?1) f
            CROSS JOIN LATERAL (
              SELECT id FROM tweets x
              WHERE x.author_id = f.author_id AND x.deleted_at IS NULL AND x.id < ?2 AND x.id > ?3
              ORDER BY x.id DESC LIMIT ?4) newest
            JOIN tweets t ON t.id = newest.id
            JOIN accounts a ON a.id = t.author_id
            ORDER BY t.id DESC
            LIMIT ?4""".formatted(TweetReads.COLUMNS);

    /** The oldest tweets newer than an id, oldest first: the page right after it (Mastodon's min_id). */
    private static final String RIGHT_AFTER = """
            SELECT %s
            FROM (SELECT followee_id AS author_id FROM follows WHERE follower_id = ?1 UNION ALL SELECT ?1) f
            CROSS JOIN LATERAL (
              SELECT id FROM tweets x
              WHERE x.author_id = f.author_id AND x.deleted_at IS NULL AND x.id > ?2
              ORDER BY x.id ASC LIMIT ?3) oldest
            JOIN tweets t ON t.id = oldest.id
            JOIN accounts a ON a.id = t.author_id
            ORDER BY t.id ASC
            LIMIT ?3""".formatted(TweetReads.COLUMNS);

    @Inject
    TweetReads reads;

    /** A page and the position of the log it was read at: the stream continues exactly from there. */
    public record Snapshot(List<TweetView> tweets, StreamCursor cursor) {
    }

    @Inject
    TimelineLog log;

    /**
     * Tweets with before > id > after, newest first, and the stored position of the log in the same snapshot: the
     * store consumer moves its position in the transaction that writes the rows, so this page holds exactly the
     * tweets before the cursor, and a stream opened with it sends exactly what came after.
     */
    public Uni<Snapshot> page(long reader, long before, long after, int limit) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").executeUpdate()
                .chain(() -> storedPositions(session))
                .chain(cursor -> session.createNativeQuery(PAGE, Object[].class)
                        .setParameter(1, reader).setParameter(2, before).setParameter(3, after).setParameter(4, limit)
                        .getResultList()
                        .map(rows -> new Snapshot(rows.stream().map(TweetReads::view).toList(), cursor)))));
    }

    /** Tweets with id > after, oldest first, at most {@code limit}. */
    public Uni<List<TweetView>> rightAfter(long reader, long after, int limit) {
        return reads.query(RIGHT_AFTER, List.of(reader, after, limit));
    }

    private Uni<StreamCursor> storedPositions(Mutiny.Session session) {
        return session.createNativeQuery("SELECT log_partition, next_offset FROM log_positions WHERE log_epoch = ?1", Object[].class)
                .setParameter(1, log.epoch()).getResultList()
                .map(rows -> {
                    long[] next = new long[log.partitions()];
                    for (Object[] row : rows) {
                        int partition = ((Number) row[0]).intValue();
                        if (partition < next.length) {
                            next[partition] = ((Number) row[1]).longValue();
                        }
                    }
                    return StreamCursor.of(log.epoch(), next);
                });
    }
}
