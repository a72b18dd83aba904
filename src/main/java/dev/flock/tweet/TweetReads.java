package dev.flock.tweet;

import dev.flock.platform.ApiTime;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** Tweet queries. Deleted tweets are never returned. */
@ApplicationScoped
public class TweetReads {

    /** The columns every tweet query selects, in the order {@link #view(Object[])} reads them. */
    public static final String COLUMNS = "t.id, t.author_id, a.username, a.display_name, t.text, t.created_at";

    public Uni<TweetView> byId(long id) {
        return query("SELECT " + COLUMNS + " FROM tweets t JOIN accounts a ON a.id = t.author_id WHERE t.id = ?1 AND t.deleted_at IS NULL",
                List.of(id)).map(rows -> rows.isEmpty() ? null : rows.get(0));
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

    /** The first tweet (deleted or not) the author posted with this key since the given time, or null. */
    public Uni<TweetView> byIdempotencyKey(long authorId, String key, Instant since) {
        return query("SELECT " + COLUMNS + " FROM tweets t JOIN accounts a ON a.id = t.author_id "
                + "WHERE t.author_id = ?1 AND t.idempotency_key = ?2 AND t.created_at > ?3 ORDER BY t.id LIMIT 1",
                List.of(authorId, key, since)).map(rows -> rows.isEmpty() ? null : rows.get(0));
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
