package dev.flock.tweet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.platform.BoundedMap;
import dev.flock.platform.LogEnds;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import dev.flock.platform.TimelineLog;
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
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Idempotency-Key handling: the same key from the same author within the window answers the first tweet again, on
 * any instance, and never makes a second tweet. The first request claims the key in PostgreSQL (table
 * idempotency_keys) before it produces; a retry that finds the claim answers the tweet recorded with it, or waits
 * while the first attempt is still in flight. A claim whose attempt failed is released; one left behind by a crashed
 * instance is taken over once it is older than any attempt can last. Concurrent retries on this instance share one
 * attempt. While PostgreSQL is unreachable, posting keeps working and keys rely on this instance's memory alone.
 */
@ApplicationScoped
public class IdempotentPosts {

    private static final Logger LOG = Logger.getLogger(IdempotentPosts.class);
    private static final int MAX_REMEMBERED = 100_000;
    /** Longer than any attempt can take (the producer's delivery timeout plus margin). */
    private static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private record Attempt(Uni<TweetView> result, Instant at) {
    }

    /** What PostgreSQL says about a key: mine to post, or the answer (maybe still pending) of an earlier attempt. */
    private record Claim(boolean mine, TweetView answer) {
    }

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @Inject
    TweetsConfig config;

    @Inject
    TweetReads reads;

    @Inject
    LogEnds logEnds;

    @Inject
    TimelineLog log;

    private final Map<String, Attempt> recent = new BoundedMap<>(MAX_REMEMBERED, false);

    void start(@Observes StartupEvent event) {
        // Claims older than the window answer nothing any more; each instance sweeps them now and then.
        vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), t -> pool
                .preparedQuery("DELETE FROM idempotency_keys WHERE claimed_at < now() - $1 * interval '1 millisecond'")
                .execute(Tuple.of(config.idempotencyWindow().toMillis()))
                .subscribe().with(x -> { }, e -> LOG.debugf("Idempotency sweep failed: %s", e.getMessage())));
    }

    public Uni<TweetView> once(long author, String key, Supplier<Uni<TweetView>> post) {
        String slot = author + "\n" + key;
        Instant windowStart = Instant.now().minus(config.idempotencyWindow());
        synchronized (recent) {
            Attempt known = recent.get(slot);
            if (known != null && known.at().isAfter(windowStart)) {
                return known.result();
            }
            Uni<TweetView> result = claim(author, key, Instant.now().plus(config.postWaitForClaim()))
                    .onFailure(e -> !(e instanceof ProblemException)).recoverWithItem(e -> {
                        LOG.warnf("Idempotency claims unavailable (%s); relying on this instance's memory", e.getMessage());
                        return new Claim(true, null);
                    })
                    .chain(claim -> claim.mine() ? postClaimed(author, key, post) : Uni.createFrom().item(claim.answer()))
                    .onFailure().invoke(() -> forget(slot))
                    .memoize().indefinitely();
            recent.put(slot, new Attempt(result, Instant.now()));
            return result;
        }
    }

    private Uni<TweetView> postClaimed(long author, String key, Supplier<Uni<TweetView>> post) {
        return Uni.createFrom().deferred(post::get)
                .call(tweet -> record(author, key, tweet))
                .onFailure().call(() -> release(author, key));
    }

    /** Claims the key, or answers the tweet of the attempt that holds it, waiting while that one is in flight. */
    private Uni<Claim> claim(long author, String key, Instant giveUpAt) {
        return pool.preparedQuery("""
                        INSERT INTO idempotency_keys (author_id, idem_key) VALUES ($1, $2)
                        ON CONFLICT (author_id, idem_key) DO UPDATE SET tweet_id = NULL, tweet = NULL, claimed_at = now()
                          WHERE idempotency_keys.claimed_at < now() - $3 * interval '1 millisecond'
                             OR (idempotency_keys.tweet IS NULL AND idempotency_keys.claimed_at < now() - $4 * interval '1 millisecond')
                        RETURNING xmax = 0 AS fresh""")
                .execute(Tuple.of(author, key, config.idempotencyWindow().toMillis(), ABANDONED_AFTER.toMillis()))
                .chain(claimed -> {
                    if (claimed.rowCount() == 0) {
                        return answerOf(author, key, giveUpAt);
                    }
                    return claimed.iterator().next().getBoolean(0) ? Uni.createFrom().item(new Claim(true, null)) : takenOver(author, key, giveUpAt);
                });
    }

    /**
     * A claim left without an answer by an attempt that never finished (its instance died, or it could not record the
     * answer): that attempt may have reached the log before it stopped. The store records each tweet's key, so the
     * tweet stored with this key is the answer, and "none" is only known once the store has applied the author's
     * partition up to where the log ends now (everything the dead attempt could have produced lies below that). A
     * store too far behind to tell within the wait leaves the claim abandoned for the next retry and answers 503;
     * the chaos test saw a second tweet for one key when the store trailed a SIGKILL by more than the claim's age.
     */
    private Uni<Claim> takenOver(long author, String key, Instant giveUpAt) {
        int partition = log.partitionOf(author);
        return logEnds.next(partition)
                .chain(end -> storedUpTo(partition, end, giveUpAt))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Cannot tell whether an abandoned Idempotency-Key reached the log (%s)", e.toString());
                    return false;
                })
                .chain(settled -> settled ? storedAnswer(author, key) : abandonAgain(author, key));
    }

    /** Waits until the store's position in the partition reaches {@code end}; false if it does not by {@code giveUpAt}. */
    private Uni<Boolean> storedUpTo(int partition, long end, Instant giveUpAt) {
        return pool.preparedQuery("SELECT next_offset FROM log_positions WHERE log_epoch = $1 AND log_partition = $2")
                .execute(Tuple.of(log.epoch(), partition))
                .chain(rows -> {
                    long stored = rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : 0;
                    if (stored >= end) {
                        return Uni.createFrom().item(true);
                    }
                    if (Instant.now().isAfter(giveUpAt)) {
                        return Uni.createFrom().item(false);
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).chain(() -> storedUpTo(partition, end, giveUpAt));
                });
    }

    private Uni<Claim> storedAnswer(long author, String key) {
        return pool.preparedQuery("""
                        SELECT id FROM tweets WHERE author_id = $1 AND idempotency_key = $2
                          AND created_at > now() - $3 * interval '1 millisecond' ORDER BY id LIMIT 1""")
                .execute(Tuple.of(author, key, config.idempotencyWindow().toMillis()))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(new Claim(true, null));
                    }
                    return reads.byId(rows.iterator().next().getLong(0))
                            .call(tweet -> record(author, key, tweet))
                            .map(tweet -> new Claim(false, tweet));
                });
    }

    /** Hands the claim back as abandoned, so the next retry settles it again, and asks the client to retry. */
    private Uni<Claim> abandonAgain(long author, String key) {
        return pool.preparedQuery("""
                        UPDATE idempotency_keys SET claimed_at = now() - $3 * interval '1 millisecond'
                        WHERE author_id = $1 AND idem_key = $2 AND tweet IS NULL""")
                .execute(Tuple.of(author, key, ABANDONED_AFTER.plusSeconds(1).toMillis()))
                .onFailure().recoverWithNull()
                .chain(() -> Uni.createFrom().failure(new ProblemException(Problem.of(503, "Service Unavailable",
                        "An earlier request with this Idempotency-Key is still being settled; try again"), Duration.ofSeconds(1))));
    }

    private Uni<Claim> answerOf(long author, String key, Instant giveUpAt) {
        return pool.preparedQuery("SELECT tweet FROM idempotency_keys WHERE author_id = $1 AND idem_key = $2")
                .execute(Tuple.of(author, key))
                .chain((RowSet<Row> rows) -> {
                    if (!rows.iterator().hasNext()) {
                        // Released by a failed attempt between our insert and this read: claim it again.
                        return claim(author, key, giveUpAt);
                    }
                    String tweet = rows.iterator().next().getString(0);
                    if (tweet != null) {
                        return Uni.createFrom().item(new Claim(false, read(tweet)));
                    }
                    if (Instant.now().isAfter(giveUpAt)) {
                        return Uni.createFrom().failure(new ProblemException(Problem.of(503, "Service Unavailable",
                                "A request with this Idempotency-Key is still in progress; try again")));
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).chain(() -> claim(author, key, giveUpAt));
                });
    }

    private Uni<Void> record(long author, String key, TweetView tweet) {
        return pool.preparedQuery("UPDATE idempotency_keys SET tweet_id = $3, tweet = $4 WHERE author_id = $1 AND idem_key = $2")
                .execute(Tuple.of(author, key, tweet.idValue(), write(tweet)))
                .replaceWithVoid()
                // The tweet is accepted either way; without the record, this instance's memory answers retries.
                .onFailure().recoverWithNull();
    }

    private Uni<Void> release(long author, String key) {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE author_id = $1 AND idem_key = $2 AND tweet IS NULL")
                .execute(Tuple.of(author, key)).replaceWithVoid().onFailure().recoverWithNull();
    }

    private void forget(String slot) {
        synchronized (recent) {
            recent.remove(slot);
        }
    }

    private String write(TweetView tweet) {
        try {
            return json.writeValueAsString(tweet);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private TweetView read(String tweet) {
        try {
            return json.readValue(tweet, TweetView.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
