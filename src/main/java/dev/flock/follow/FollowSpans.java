package dev.flock.follow;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.List;

/**
 * The follow graph as the log saw it (table follow_spans): for each pair, the periods between a followed and an
 * unfollowed event, as offsets in the followee's partition. Written by the store consumer in the transaction that
 * records its position; read by stream replays, which must know whether a reader followed an author at the point in
 * the log where a tweet was created.
 */
@ApplicationScoped
public class FollowSpans {

    /**
     * One period of following: tweets of the followee with {@code fromOffset < offset < toOffset} (toOffset null: still
     * following) were owed to the follower. {@code lastSeq} is the highest event sequence applied to the pair so far.
     */
    public record Span(long followee, long fromOffset, long followSeq, Long toOffset, Long unfollowSeq) {

        public boolean covers(long offset) {
            return fromOffset < offset && (toOffset == null || offset < toOffset);
        }

        /** An unfollow that found nothing to close leaves a span of no length: it only records the sequence. */
        public boolean isEmpty() {
            return toOffset != null && toOffset <= fromOffset;
        }

        public long lastSeq() {
            return unfollowSeq == null ? followSeq : Math.max(followSeq, unfollowSeq);
        }
    }

    @Inject
    Pool pool;

    /** Applies a follow event found at {@code offset} of the followee's partition, inside the store's transaction. */
    public Uni<Void> apply(Mutiny.Session session, FollowEvent event, long offset) {
        long follower = event.followerId();
        long followee = event.followeeId();
        return session.createNativeQuery("""
                        SELECT max(greatest(follow_seq, coalesce(unfollow_seq, 0))) FROM follow_spans
                        WHERE follower_id = ?1 AND followee_id = ?2""", Long.class)
                .setParameter(1, follower).setParameter(2, followee)
                .getResultList()
                .chain(rows -> {
                    Long last = rows.isEmpty() ? null : rows.get(0);
                    if (last != null && last >= event.seq()) {
                        return Uni.createFrom().voidItem();
                    }
                    return event.follows() ? followed(session, follower, followee, event.seq(), offset)
                            : unfollowed(session, follower, followee, event.seq(), offset);
                });
    }

    private Uni<Void> followed(Mutiny.Session session, long follower, long followee, long seq, long offset) {
        // Already following (a newer follow of a pair whose unfollow is yet to come or was superseded): note the seq.
        return session.createNativeQuery("UPDATE follow_spans SET follow_seq = ?3 WHERE follower_id = ?1 AND followee_id = ?2 AND to_offset IS NULL")
                .setParameter(1, follower).setParameter(2, followee).setParameter(3, seq)
                .executeUpdate()
                .chain(updated -> updated > 0 ? Uni.createFrom().voidItem() : session.createNativeQuery("""
                                INSERT INTO follow_spans (follower_id, followee_id, from_offset, follow_seq)
                                VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING""")
                        .setParameter(1, follower).setParameter(2, followee).setParameter(3, offset).setParameter(4, seq)
                        .executeUpdate().replaceWithVoid());
    }

    private Uni<Void> unfollowed(Mutiny.Session session, long follower, long followee, long seq, long offset) {
        return session.createNativeQuery("""
                        UPDATE follow_spans SET to_offset = ?3, unfollow_seq = ?4
                        WHERE follower_id = ?1 AND followee_id = ?2 AND to_offset IS NULL""")
                .setParameter(1, follower).setParameter(2, followee).setParameter(3, offset).setParameter(4, seq)
                .executeUpdate()
                .chain(updated -> updated > 0 ? Uni.createFrom().voidItem() : session.createNativeQuery("""
                                INSERT INTO follow_spans (follower_id, followee_id, from_offset, follow_seq, to_offset, unfollow_seq)
                                VALUES (?1, ?2, ?3, ?4, ?3, ?4) ON CONFLICT DO NOTHING""")
                        .setParameter(1, follower).setParameter(2, followee).setParameter(3, offset).setParameter(4, seq)
                        .executeUpdate().replaceWithVoid());
    }

    /**
     * Every span of the follower, in a replay's transaction (plain reactive pool: replays run in WebSocket callbacks,
     * see {@link FollowGraph#followees}).
     */
    public static Uni<List<Span>> of(io.vertx.mutiny.sqlclient.SqlConnection connection, long follower) {
        return connection.preparedQuery("""
                        SELECT followee_id, from_offset, follow_seq, to_offset, unfollow_seq FROM follow_spans
                        WHERE follower_id = $1 ORDER BY followee_id, from_offset""")
                .execute(Tuple.of(follower))
                .map(rows -> {
                    List<Span> spans = new ArrayList<>(rows.rowCount());
                    for (Row r : rows) {
                        spans.add(new Span(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
                    }
                    return spans;
                });
    }
}
