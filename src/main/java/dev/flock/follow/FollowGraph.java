package dev.flock.follow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.platform.ApiTime;
import dev.flock.platform.Outbox;
import dev.flock.platform.OutboxRelay;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import dev.flock.platform.SharedRateLimits;
import dev.flock.platform.TimelineLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The follow graph in PostgreSQL, with the account counters kept in the same transaction. */
@ApplicationScoped
public class FollowGraph {

    /** One row of a followers/following list: the other account and the follow's position (the cursor). */
    public record Edge(long accountId, long seq) {
    }

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    TimelineLog log;

    @Inject
    ObjectMapper json;

    @Inject
    FollowsConfig config;

    @Inject
    Pool pool;

    @Inject
    SharedRateLimits limits;

    private RateLimiter changes;

    @PostConstruct
    void init() {
        changes = limits.limiter("follows", config.changesPerAccount());
    }

    /** The 422 of a follow past {@link FollowsConfig#maxFollowing()}; the Mastodon API words it its own way. */
    public static final class TooManyFollowed extends ProblemException {
        private final int max;

        TooManyFollowed(int max) {
            super(Problem.of(422, "Unprocessable Content", "An account may follow at most " + max + " accounts; unfollow some first"));
            this.max = max;
        }

        public int max() {
            return max;
        }
    }

    /**
     * Follows; answers whether anything changed. The change and its event commit together (outbox), then the event is
     * published; the answer waits for it briefly, so while Kafka is up a 2xx means the event is in the log, ahead of
     * every tweet the followee posts afterwards. While Kafka is down the answer does not wait; the relay catches up.
     * Fails with 429 over the limit of follow changes per account, and with {@link TooManyFollowed} (422) when the
     * follower already follows as many as it may (following someone already followed still succeeds).
     */
    public Uni<Boolean> follow(long follower, long followee) {
        return changes.check(String.valueOf(follower), "Follow changes")
                // A cheap look first, so that an account at the cap is refused without a transaction; the exact check
                // is the one inside the transaction (withinCap).
                .chain(() -> pool.preparedQuery("""
                                SELECT a.following_count >= $3
                                   AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2)
                                FROM accounts a WHERE a.id = $1""")
                        .execute(Tuple.of(follower, followee, config.maxFollowing())))
                .chain(rows -> {
                    if (rows.iterator().hasNext() && rows.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().failure(new TooManyFollowed(config.maxFollowing()));
                    }
                    return change("INSERT INTO follows (follower_id, followee_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                            1, FollowEvent.FOLLOWED, follower, followee);
                });
    }

    /** Unfollows; answers whether anything changed. Fails with 429 over the limit of follow changes per account. */
    public Uni<Boolean> unfollow(long follower, long followee) {
        return changes.check(String.valueOf(follower), "Follow changes").chain(() -> change(
                "DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ?2", -1, FollowEvent.UNFOLLOWED, follower, followee));
    }

    private Uni<Boolean> change(String sql, int delta, String type, long follower, long followee) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(sql)
                .setParameter(1, follower).setParameter(2, followee)
                .executeUpdate()
                .chain(rows -> {
                    if (rows == 0) {
                        return Uni.createFrom().<Outbox.Event>nullItem();
                    }
                    // One statement updates both rows in index order, so two opposite follows cannot deadlock.
                    return session.createNativeQuery("""
                                    UPDATE accounts SET
                                      following_count = following_count + CASE WHEN id = ?1 THEN ?3 ELSE 0 END,
                                      followers_count = followers_count + CASE WHEN id = ?2 THEN ?3 ELSE 0 END
                                    WHERE id IN (?1, ?2)""")
                            .setParameter(1, follower).setParameter(2, followee).setParameter(3, delta)
                            .executeUpdate()
                            .chain(() -> delta > 0 ? withinCap(session, follower) : Uni.createFrom().voidItem())
                            .chain(() -> outbox.add(session, TimelineLog.TOPIC, log.partitionOf(followee), TimelineLog.key(followee),
                                    seq -> event(type, follower, followee, seq)));
                })))
                .chain(event -> event == null ? Uni.createFrom().item(false)
                        : relay.publishCommitted(List.of(event)).replaceWith(true));
    }

    /**
     * After the counter moved: the follower's row is locked by this transaction until it ends, so concurrent follows
     * of one account see each other's counts and exactly {@code max-following} of them succeed. Failing rolls the
     * follow back.
     */
    private Uni<Void> withinCap(Mutiny.Session session, long follower) {
        return session.createNativeQuery("SELECT following_count FROM accounts WHERE id = ?1", Integer.class)
                .setParameter(1, follower).getSingleResult()
                .invoke(count -> {
                    if (count > config.maxFollowing()) {
                        throw new TooManyFollowed(config.maxFollowing());
                    }
                }).replaceWithVoid();
    }

    private String event(String type, long follower, long followee, long seq) {
        try {
            return json.writeValueAsString(new FollowEvent(type, String.valueOf(follower), String.valueOf(followee), seq,
                    ApiTime.format(Instant.now())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Everyone the account follows, for live streams. Through the plain reactive pool rather than a Hibernate Reactive
     * session: it is called from WebSocket callbacks, whose Vert.x context is not a request's.
     */
    public Uni<List<Long>> followees(long account) {
        return pool.preparedQuery("SELECT followee_id FROM follows WHERE follower_id = $1")
                .execute(Tuple.of(account))
                .map(rows -> {
                    List<Long> ids = new java.util.ArrayList<>(rows.rowCount());
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }

    /** Which of the others the account follows, and which of them follow the account. */
    public record Relations(Set<Long> following, Set<Long> followedBy) {
    }

    public Uni<Relations> relations(long account, Collection<Long> others) {
        if (others.isEmpty()) {
            return Uni.createFrom().item(new Relations(Set.of(), Set.of()));
        }
        return pool.preparedQuery("""
                        SELECT followee_id, true FROM follows WHERE follower_id = $1 AND followee_id = ANY($2)
                        UNION ALL
                        SELECT follower_id, false FROM follows WHERE followee_id = $1 AND follower_id = ANY($2)""")
                .execute(Tuple.of(account, others.toArray(new Long[0])))
                .map(rows -> {
                    Set<Long> following = new HashSet<>();
                    Set<Long> followedBy = new HashSet<>();
                    rows.forEach(row -> (row.getBoolean(1) ? following : followedBy).add(row.getLong(0)));
                    return new Relations(following, followedBy);
                });
    }

    public Uni<List<Edge>> followersPage(long account, Long beforeSeq, int limit) {
        return page("SELECT follower_id, seq FROM follows WHERE followee_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
                account, beforeSeq, limit);
    }

    public Uni<List<Edge>> followingPage(long account, Long beforeSeq, int limit) {
        return page("SELECT followee_id, seq FROM follows WHERE follower_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
                account, beforeSeq, limit);
    }

    private Uni<List<Edge>> page(String sql, long account, Long beforeSeq, int limit) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(sql, Object[].class)
                .setParameter(1, account)
                .setParameter(2, beforeSeq == null ? Long.MAX_VALUE : beforeSeq)
                .setParameter(3, limit)
                .getResultList()))
                .map(rows -> rows.stream().map(r -> new Edge(((Number) r[0]).longValue(), ((Number) r[1]).longValue())).toList());
    }
}
