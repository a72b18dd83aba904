package dev.flock.tweet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.platform.Outbox;
import dev.flock.platform.OutboxRelay;
import dev.flock.platform.ProblemException;
import dev.flock.platform.TimelineLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * Deleting a tweet: the row is marked and the deleted event written to the outbox in one transaction, so a 204 means
 * the tweet is gone from every read at once; the event then reaches the log (and every stream) through the relay,
 * without the transaction ever waiting on Kafka.
 */
@ApplicationScoped
public class TweetDeletes {

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    TimelineLog log;

    @Inject
    ObjectMapper json;

    /** Deletes the author's tweet; fails with 404 (unknown or already deleted) or 403 (someone else's). */
    public Uni<Void> delete(long me, TweetView.Author who, long id) {
        return TweetReads.untilStored(id, () -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("SELECT author_id, deleted_at IS NOT NULL FROM tweets WHERE id = ?1 FOR UPDATE", Object[].class)
                        .setParameter(1, id).getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                return Uni.createFrom().failure(new TweetReads.NotStoredYet());
                            }
                            if (Boolean.TRUE.equals(rows.get(0)[1])) {
                                throw TweetReads.notFound();
                            }
                            if (((Number) rows.get(0)[0]).longValue() != me) {
                                throw ProblemException.of(Response.Status.FORBIDDEN, "Only the author may delete a tweet");
                            }
                            return session.createNativeQuery("UPDATE tweets SET deleted_at = now(), text = '' WHERE id = ?1")
                                    .setParameter(1, id).executeUpdate()
                                    .chain(() -> session.createNativeQuery("UPDATE accounts SET tweets_count = tweets_count - 1 WHERE id = ?1 AND tweets_count > 0")
                                            .setParameter(1, me).executeUpdate())
                                    .chain(() -> outbox.add(session, TimelineLog.TOPIC, log.partitionOf(me), TimelineLog.key(me),
                                            seq -> event(id, who)));
                        }))))
                .chain(event -> relay.publishCommitted(List.of(event)));
    }

    private String event(long id, TweetView.Author who) {
        try {
            return json.writeValueAsString(TweetEvent.deleted(id, who));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
