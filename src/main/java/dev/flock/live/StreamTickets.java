package dev.flock.live;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Single-use stream tickets (table stream_tickets): 256 random bits, of which only a hash is stored, valid for
 * {@code flock.live.ticket-lifetime} and redeemed at most once, on any instance, by an atomic update.
 */
@ApplicationScoped
class StreamTickets {

    private static final Logger LOG = Logger.getLogger(StreamTickets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a redeemed ticket stands for: the token it was issued to (its account, session and expiry). */
    record Holder(long account, String session, Instant tokenExpiresAt) {
    }

    record Issued(String ticket, Instant expiresAt) {
    }

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    LiveConfig config;

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), t -> pool
                .query("DELETE FROM stream_tickets WHERE expires_at < now() - interval '1 minute'").execute()
                .subscribe().with(x -> { }, e -> LOG.debugf("Ticket sweep failed: %s", e.getMessage())));
    }

    Uni<Issued> issue(long account, String session, Instant tokenExpiresAt) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expires = Instant.now().plus(config.ticketLifetime());
        return pool.preparedQuery("""
                        INSERT INTO stream_tickets (ticket_hash, account_id, session_id, token_expires_at, expires_at)
                        VALUES ($1, $2, $3, $4, $5)""")
                .execute(Tuple.of(hash(ticket), account, session, utc(tokenExpiresAt), utc(expires)))
                .replaceWith(new Issued(ticket, expires));
    }

    /** The ticket's holder, or null if it is unknown, used or expired (a ticket works once). */
    Uni<Holder> redeem(String ticket) {
        if (ticket == null || ticket.length() != 43) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("""
                        UPDATE stream_tickets SET used_at = now()
                        WHERE ticket_hash = $1 AND used_at IS NULL AND expires_at > now()
                        RETURNING account_id, session_id, token_expires_at""")
                .execute(Tuple.of(hash(ticket)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Holder(row.getLong(0), row.getString(1), row.getOffsetDateTime(2).toInstant());
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String hash(String ticket) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
