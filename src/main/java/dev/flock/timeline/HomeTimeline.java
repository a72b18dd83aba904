package dev.flock.timeline;

import dev.flock.tweet.TweetReads;
import dev.flock.tweet.TweetView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

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

    /** Ascending variant for replaying everything newer than an id, oldest first (plain reactive pool, $n parameters). */
    private static final String NEWER = """
            SELECT %s
            FROM (SELECT followee_id AS author_id FROM follows WHERE follower_id = $1 UNION ALL SELECT $1) f
            CROSS JOIN LATERAL (
              SELECT id FROM tweets x
              WHERE x.author_id = f.author_id AND x.deleted_at IS NULL AND x.id > $2
              ORDER BY x.id ASC LIMIT $3) oldest
            JOIN tweets t ON t.id = oldest.id
            JOIN accounts a ON a.id = t.author_id
            ORDER BY t.id ASC
            LIMIT $3""".formatted(TweetReads.COLUMNS);

    @Inject
    TweetReads reads;

    /** Tweets with before > id > after, newest first. */
    public Uni<List<TweetView>> page(long reader, long before, long after, int limit) {
        return reads.query(PAGE, List.of(reader, before, after, limit));
    }

    @Inject
    Pool pool;

    /**
     * Tweets newer than {@code since}, oldest first, at most {@code limit}. For live-stream replays, which run in
     * WebSocket callbacks: through the plain reactive pool rather than a Hibernate Reactive session.
     */
    public Uni<List<TweetView>> newerThan(long reader, long since, int limit) {
        return pool.preparedQuery(NEWER).execute(Tuple.of(reader, since, limit))
                .map(rows -> {
                    List<TweetView> tweets = new java.util.ArrayList<>(rows.rowCount());
                    for (Row r : rows) {
                        tweets.add(TweetReads.view(new Object[]{r.getLong(0), r.getLong(1), r.getString(2), r.getString(3),
                                r.getString(4), r.getOffsetDateTime(5)}));
                    }
                    return tweets;
                });
    }
}
