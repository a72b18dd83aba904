package dev.flock.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.account.RevokedSessions;
import dev.flock.platform.Problem;
import dev.flock.timeline.StreamCursor;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import dev.flock.platform.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Admission to /api/stream, decided before the upgrade and answered, when refused, like every other endpoint: with
 * problem+json. In order: 503 while draining; 429 for more upgrades from one client address than
 * {@code flock.live.upgrades-per-address} allows; 400 for the retired {@code access_token} and {@code since}
 * parameters; 401 without a valid token or ticket; 400 for a cursor no server issued; 429 beyond
 * {@code flock.live.streams-per-account} on this instance; 503 with Retry-After while the queue of stream opens is
 * full. What is admitted goes on to the WebSocket upgrade ({@link StreamUpgradeCheck}).
 */
@ApplicationScoped
public class StreamAdmission {

    /** Quarkus installs its (lazy) authentication at route order -200 and authorization at -100: this runs between. */
    private static final int AFTER_AUTHENTICATION = -150;
    private static final String CARRIER = "quarkus-http-upgrade#Authorization#";

    @Inject
    LiveStreams streams;

    @Inject
    LiveConfig config;

    @Inject
    StreamTickets tickets;

    @Inject
    ReplayGate gate;

    @Inject
    RevokedSessions revoked;

    @Inject
    ObjectMapper json;


    @Inject
    StreamOpensPerAddress opensPerAddress;

    void install(@Observes Router router) {
        // Browsers carry the token as a subprotocol; it becomes the Authorization header before authentication reads it.
        router.route("/api/stream").order(Integer.MIN_VALUE + 100).handler(this::carrierToHeader);
        router.route("/api/stream").order(AFTER_AUTHENTICATION).handler(this::admit);
    }

    private void carrierToHeader(RoutingContext ctx) {
        if (ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
            String offered = ctx.request().getHeader("Sec-WebSocket-Protocol");
            if (offered != null) {
                for (String protocol : offered.split(",")) {
                    String p = protocol.trim();
                    if (p.startsWith(CARRIER)) {
                        ctx.request().headers().set(HttpHeaders.AUTHORIZATION,
                                URLDecoder.decode(p.substring(CARRIER.length()), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        ctx.next();
    }

    private void admit(RoutingContext ctx) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            ctx.next();
            return;
        }
        if (streams.draining()) {
            refuse(ctx, Problem.of(503, "Service Unavailable", "This instance is shutting down; connect to another"), Duration.ofSeconds(1));
            return;
        }
        var wait = opensPerAddress.acquire(ctx.request());
        if (wait.isPresent()) {
            refuse(ctx, Problem.of(429, "Too Many Requests", "Too many stream upgrades from this address; try again later"), wait.get());
            return;
        }
        if (ctx.request().getParam("access_token") != null) {
            refuse(ctx, invalid("access_token", "is not accepted: a token in a URL ends up in logs; use a stream ticket "
                    + "(POST /api/stream/tickets) or the Authorization header"), null);
            return;
        }
        if (ctx.request().getParam("since") != null) {
            refuse(ctx, invalid("since", "was replaced by cursor: a tweet id is not a position in the log"), null);
            return;
        }
        String ticket = ctx.request().getParam("ticket");
        Uni<SecurityIdentity> identity = ticket != null ? redeem(ctx, ticket)
                : QuarkusHttpUser.getSecurityIdentity(ctx, null).onFailure().recoverWithNull();
        identity.subscribe().with(id -> decide(ctx, id), failure -> ctx.fail(failure));
    }

    private Uni<SecurityIdentity> redeem(RoutingContext ctx, String ticket) {
        return tickets.redeem(ticket).map(holder -> {
            if (holder == null || (holder.session() != null && revoked.isRevoked(holder.session()))) {
                return null;
            }
            SecurityIdentity identity = QuarkusSecurityIdentity.builder().setPrincipal(new TicketPrincipal(holder)).build();
            return QuarkusHttpUser.setIdentity(identity, ctx);
        });
    }

    private void decide(RoutingContext ctx, SecurityIdentity identity) {
        if (ctx.response().headWritten()) {
            // Authentication already answered (a failed proactive check, or the client went away).
            return;
        }
        Long account = account(identity);
        if (account == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            refuse(ctx, Problem.of(401, "Unauthorized", "A valid bearer token or stream ticket is required"), null);
            return;
        }
        String cursor = ctx.request().getParam("cursor");
        if (cursor != null) {
            try {
                StreamCursor.parse(cursor);
            } catch (StreamCursor.Malformed e) {
                refuse(ctx, invalid("cursor", "is not a cursor this server issued"), null);
                return;
            }
        }
        if (gate.saturated()) {
            refuse(ctx, Problem.of(503, "Service Unavailable", "Too many streams are opening on this instance; try again"), Duration.ofSeconds(2));
            return;
        }
        if (!streams.reserve(account)) {
            refuse(ctx, Problem.of(429, "Too Many Requests", "This account has " + config.streamsPerAccount()
                    + " streams open on this instance already; close one first"), Duration.ofSeconds(5));
            return;
        }
        ctx.next();
    }

    static Long account(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        if (identity.getPrincipal() instanceof TicketPrincipal ticket) {
            return ticket.holder().account();
        }
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getSubject() != null) {
            return Long.parseLong(token.getSubject());
        }
        return null;
    }

    private static Problem invalid(String field, String message) {
        return Problem.invalid(field + " " + message, java.util.List.of(new Problem.FieldError(field, message)));
    }

    private void refuse(RoutingContext ctx, Problem problem, Duration retryAfter) {
        if (retryAfter != null) {
            ctx.response().putHeader("Retry-After", ProblemException.retryAfterSeconds(retryAfter));
        }
        try {
            ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    /** Who a redeemed stream ticket stands for. */
    record TicketPrincipal(StreamTickets.Holder holder) implements java.security.Principal {
        @Override
        public String getName() {
            return String.valueOf(holder.account());
        }
    }
}
