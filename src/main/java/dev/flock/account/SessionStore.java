package dev.flock.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The sessions table, through the plain reactive pool: sessions are read by a timer (revocation polling) and written
 * from requests of several features, so no Hibernate Reactive session is needed or wanted here.
 */
@ApplicationScoped
public class SessionStore {

    /** A session as a token carries it. {@code scopes} is null for Flock's own sessions, which may do everything. */
    public record Grant(UUID id, Long accountId, Long applicationId, String scopes, Instant expiresAt) {
    }

    /** A revoked session, as every instance learns of it. */
    public record Revoked(String id, Long accountId, Instant expiresAt, OffsetDateTime revokedAt) {
    }

    private static final String REVOKED_COLUMNS = "id, account_id, expires_at, revoked_at";

    @Inject
    Pool pool;

    public Uni<Grant> open(Long accountId, Long applicationId, String scopes, Duration lifetime) {
        UUID id = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        return pool.preparedQuery("INSERT INTO sessions (id, account_id, application_id, scopes, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.tuple(Arrays.asList(id, accountId, applicationId, scopes, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))))
                .map(rows -> new Grant(id, accountId, applicationId, scopes, expiresAt));
    }

    public Uni<List<Revoked>> revoke(String sessionId) {
        UUID id = uuid(sessionId);
        if (id == null) {
            return Uni.createFrom().item(List.of());
        }
        return revoked("UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING " + REVOKED_COLUMNS,
                Tuple.of(id));
    }

    /** Revokes the session only if it was issued to that application (OAuth revocation by the client). */
    public Uni<List<Revoked>> revokeForApplication(String sessionId, long applicationId) {
        UUID id = uuid(sessionId);
        if (id == null) {
            return Uni.createFrom().item(List.of());
        }
        return revoked("UPDATE sessions SET revoked_at = now() WHERE id = $1 AND application_id = $2 AND revoked_at IS NULL RETURNING "
                + REVOKED_COLUMNS, Tuple.of(id, applicationId));
    }

    /** Signs the account out everywhere: every live session, Flock's own and OAuth alike. */
    public Uni<List<Revoked>> revokeAccount(long accountId) {
        return revoked("UPDATE sessions SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING "
                + REVOKED_COLUMNS, Tuple.of(accountId));
    }

    /** Unexpired sessions revoked after the given time (the database's clock); everything revoked when null. */
    public Uni<List<Revoked>> revokedSince(OffsetDateTime after) {
        return revoked("SELECT " + REVOKED_COLUMNS + " FROM sessions WHERE revoked_at > $1 AND expires_at > now()",
                Tuple.of(after == null ? OffsetDateTime.parse("1970-01-01T00:00:00Z") : after));
    }

    /** Deletes sessions that expired more than a day ago; their tokens are refused by their own expiry. */
    public Uni<Integer> sweepExpired() {
        return pool.preparedQuery("DELETE FROM sessions WHERE expires_at < now() - interval '1 day'").execute().map(RowSet::rowCount);
    }

    private Uni<List<Revoked>> revoked(String sql, Tuple parameters) {
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            List<Revoked> list = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                list.add(new Revoked(row.getUUID("id").toString(), row.getLong("account_id"),
                        row.getOffsetDateTime("expires_at").toInstant(), row.getOffsetDateTime("revoked_at")));
            }
            return list;
        });
    }

    private static UUID uuid(String raw) {
        try {
            return raw == null ? null : UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
