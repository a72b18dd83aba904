package dev.flock.timeline;

import dev.flock.tweet.TweetReads;
import dev.flock.tweet.TweetView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** Ascending variant for replaying everything newer than an id, oldest first. */
    private static final String NEWER = """
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

    /** Tweets with before > id > after, newest first. */
    public Uni<List<TweetView>> page(long reader, long before, long after, int limit) {
        return reads.query(PAGE, List.of(reader, before, after, limit));
    }

    /** Tweets newer than {@code since}, oldest first, at most {@code limit}. */
    public Uni<List<TweetView>> newerThan(long reader, long since, int limit) {
        return reads.query(NEWER, List.of(reader, since, limit));
    }
}
