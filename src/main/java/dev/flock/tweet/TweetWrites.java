package dev.flock.tweet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.platform.ApiTime;
import dev.flock.platform.Problem;
import dev.flock.platform.Outbox;
import dev.flock.platform.OutboxRelay;
import dev.flock.platform.TimelineLog;
import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import dev.flock.platform.SharedRateLimits;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Posting and deleting tweets, for every API that offers them (Flock's own and the Mastodon API). */
@ApplicationScoped
public class TweetWrites {

    @Inject
    WorkerLease lease;

    @Inject
    TweetPublisher publisher;

    @Inject
    IdempotentPosts idempotent;

    @Inject
    TweetsConfig config;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    TimelineLog log;

    @Inject
    ObjectMapper json;

    @Inject
    SharedRateLimits limits;

    private RateLimiter posts;

    @PostConstruct
    void init() {
        posts = limits.limiter("posts", config.postsPerAccount());
    }

    /**
     * Accepts a tweet: completes only once Kafka holds it. The author comes from the caller's token alone, so posting
     * needs no database read and keeps working while PostgreSQL is down (except for the Idempotency-Key look-up,
     * which then relies on what this instance remembers). Fails with 400 for bad text or key, 429, or 503.
     */
    public Uni<TweetView> post(TweetView.Author author, String rawText, String rawKey) {
        return Uni.createFrom().deferred(() -> {
            long authorId = Long.parseLong(author.id());
            String text = TweetText.accept(rawText);
            String key = TweetText.idempotencyKey(rawKey);
            return key == null
                    ? limitedPublish(authorId, author, text, null)
                    : idempotent.once(authorId, key, () -> limitedPublish(authorId, author, text, key));
        });
    }

    /** Within the posting limit per account, counted across instances (and by this instance alone while PostgreSQL is down). */
    private Uni<TweetView> limitedPublish(long authorId, TweetView.Author author, String text, String key) {
        return posts.check(String.valueOf(authorId), "Tweets posted")
                .chain(() -> publisher.publishNew(authorId, lease.ids(), id -> TweetEvent.created(
                        new TweetView(String.valueOf(id), author, text, ApiTime.format(SnowflakeIds.timeOf(id))), key)))
                .map(TweetEvent::tweet);
    }

    /**
     * Deletes the caller's tweet and answers it as it was (its text included). The row is marked and the deleted event
     * written to the outbox in one transaction, so once this completes the tweet is gone from every read; the event
     * then reaches the log (and every stream) through the relay, without the transaction ever waiting on Kafka. A
     * tweet accepted moments ago may not be stored yet: it is waited for (see {@link TweetReads#untilStored}), and if
     * the store lags longer the answer is 503 (retry). Fails with 403 for anyone but the author and 404 for unknown or
     * deleted ids.
     */
    public Uni<TweetView> delete(TweetView.Author caller, long id) {
        long me = Long.parseLong(caller.id());
        return TweetReads.untilStored(id, () -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("SELECT author_id, deleted_at IS NOT NULL, text, created_at FROM tweets WHERE id = ?1 FOR UPDATE", Object[].class)
                        .setParameter(1, id).getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                return Uni.createFrom().failure(new TweetReads.NotStoredYet());
                            }
                            Object[] row = rows.get(0);
                            if (Boolean.TRUE.equals(row[1])) {
                                throw TweetReads.notFound();
                            }
                            if (((Number) row[0]).longValue() != me) {
                                throw ProblemException.of(Response.Status.FORBIDDEN, "Only the author may delete a tweet");
                            }
                            Instant created = row[3] instanceof Instant i ? i : ((OffsetDateTime) row[3]).toInstant();
                            TweetView deleted = new TweetView(String.valueOf(id), caller, (String) row[2], ApiTime.format(created));
                            return session.createNativeQuery("UPDATE tweets SET deleted_at = now(), text = '' WHERE id = ?1")
                                    .setParameter(1, id).executeUpdate()
                                    .chain(() -> session.createNativeQuery("UPDATE accounts SET tweets_count = tweets_count - 1 WHERE id = ?1 AND tweets_count > 0")
                                            .setParameter(1, me).executeUpdate())
                                    .chain(() -> outbox.add(session, TimelineLog.TOPIC, log.partitionOf(me), TimelineLog.key(me),
                                            seq -> json(TweetEvent.deleted(id, caller))))
                                    .map(event -> new Deleted(deleted, event));
                        }))))
                // A young tweet still not stored exists (it was accepted) or not: either way it cannot be deleted yet.
                .onFailure(TweetReads.NotStoredYet.class).transform(e -> TweetReads.isYoung(id)
                        ? new ProblemException(Problem.of(503, "Service Unavailable", "This tweet is not stored yet; try again"), Duration.ofSeconds(1))
                        : TweetReads.notFound())
                .call(done -> relay.publishCommitted(List.of(done.event())))
                .map(Deleted::tweet);
    }

    private record Deleted(TweetView tweet, Outbox.Event event) {
    }

    private String json(TweetEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
