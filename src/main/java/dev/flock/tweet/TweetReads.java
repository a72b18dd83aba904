package dev.flock.tweet;

import dev.flock.platform.ApiTime;
import dev.flock.platform.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** Tweet queries. Deleted tweets are never returned. */
@ApplicationScoped
public class TweetReads {

    /** The columns every tweet query selects, in the order {@link #view(Object[])} reads them. */
    public static final String COLUMNS = "t.id, t.author_id, a.username, a.display_name, t.text, t.created_at";

    /**
     * The tweet, or a 404 problem. A tweet accepted moments ago may not be stored yet (the store consumer's lag,
     * usually milliseconds): its id tells its age, so a young id that is not found is looked up again briefly, and an
     * author can read what a 201 just told it exists. A deleted tweet is not found at once.
     */
    public Uni<TweetView> byId(long id) {
        return untilStored(id, () -> storedOrDeleted(id).map(found -> {
            if (found == null) {
                throw new NotStoredYet();
            }
            if (found.deleted()) {
                throw notFound();
            }
            return found.tweet();
        })).onFailure(NotStoredYet.class).transform(e -> notFound());
    }

    private record Found(TweetView tweet, boolean deleted) {
    }

    private Uni<Found> storedOrDeleted(long id) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("SELECT " + COLUMNS + ", t.deleted_at IS NOT NULL FROM tweets t JOIN accounts a ON a.id = t.author_id WHERE t.id = ?1", Object[].class)
                        .setParameter(1, id).getResultList()))
                .map(rows -> rows.isEmpty() ? null : new Found(view(rows.get(0)), Boolean.TRUE.equals(rows.get(0)[6])));
    }

    /**
     * How long after acceptance a tweet that is not stored yet may still be on its way (beyond that it is simply
     * unknown). Not 30 s: when an instance is killed, its partitions wait for the consumer session to expire and a
     * rebalance before another instance stores them, and the chaos test saw a DELETE of an accepted tweet answered
     * 404 that way on these two cores.
     */
    static final Duration STORE_LAG_ALLOWANCE = Duration.ofMinutes(2);

    /** Raised by an attempt that found no row; retried while the id is young, then the answer is "not found". */
    static final class NotStoredYet extends RuntimeException {
        NotStoredYet() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs the attempt, and while it fails with NotStoredYet and the id is young, again for up to 3 s (backing off from
     * 25 to 250 ms). Still not stored after that: the failure stays NotStoredYet, for the caller to answer.
     */
    static <T> Uni<T> untilStored(long id, Supplier<Uni<T>> attempt) {
        boolean young = isYoung(id);
        return attempt(attempt, young ? System.nanoTime() + Duration.ofSeconds(3).toNanos() : 0, Duration.ofMillis(25));
    }

    private static <T> Uni<T> attempt(Supplier<Uni<T>> attempt, long deadline, Duration backOff) {
        return Uni.createFrom().deferred(attempt::get)
                .onFailure(NotStoredYet.class).recoverWithUni(e -> System.nanoTime() - deadline < 0
                        ? Uni.createFrom().voidItem().onItem().delayIt().by(backOff)
                                .chain(() -> attempt(attempt, deadline, backOff.multipliedBy(2).compareTo(Duration.ofMillis(250)) > 0
                                        ? Duration.ofMillis(250) : backOff.multipliedBy(2)))
                        : Uni.createFrom().failure(e));
    }

    /** Accepted so recently that the store consumer may not have written it yet. */
    static boolean isYoung(long id) {
        return SnowflakeIds.timeOf(id).isAfter(Instant.now().minus(STORE_LAG_ALLOWANCE));
    }

    static ProblemException notFound() {
        return ProblemException.of(Response.Status.NOT_FOUND, "No such tweet");
    }

    /** The author's tweets with before > id > after, newest first. */
    public Uni<List<TweetView>> byAuthor(long authorId, long before, long after, int limit) {
        return query("SELECT " + COLUMNS + " FROM tweets t JOIN accounts a ON a.id = t.author_id "
                + "WHERE t.author_id = ?1 AND t.deleted_at IS NULL AND t.id < ?2 AND t.id > ?3 ORDER BY t.id DESC LIMIT ?4",
                List.of(authorId, before, after, limit));
    }

    /** The author's tweets with id > after, oldest first: the page right after an id (Mastodon's min_id). */
    public Uni<List<TweetView>> byAuthorOldestFirst(long authorId, long after, int limit) {
        return query("SELECT " + COLUMNS + " FROM tweets t JOIN accounts a ON a.id = t.author_id "
                + "WHERE t.author_id = ?1 AND t.deleted_at IS NULL AND t.id > ?2 ORDER BY t.id ASC LIMIT ?3",
                List.of(authorId, after, limit));
    }

    public Uni<List<TweetView>> query(String sql, List<Object> parameters) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < parameters.size(); i++) {
                query.setParameter(i + 1, parameters.get(i));
            }
            return query.getResultList();
        })).map(rows -> rows.stream().map(TweetReads::view).toList());
    }

    public static TweetView view(Object[] row) {
        Instant created = row[5] instanceof Instant i ? i : ((java.time.OffsetDateTime) row[5]).toInstant();
        return new TweetView(String.valueOf(((Number) row[0]).longValue()),
                new TweetView.Author(String.valueOf(((Number) row[1]).longValue()), (String) row[2], (String) row[3]),
                (String) row[4], ApiTime.format(created));
    }
}
