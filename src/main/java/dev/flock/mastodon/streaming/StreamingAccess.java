package dev.flock.mastodon.streaming;

import dev.flock.live.LiveConfig;
import dev.flock.live.LiveStreams;
import dev.flock.live.StreamOpensPerAddress;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.function.BiConsumer;

/**
 * Who may open a streaming connection: a valid token that acts for an account (revoked sessions are refused by
 * account/SessionCheck like everywhere), on an instance that is not draining. The WebSocket upgrade is decided here,
 * before WebSockets Next sees it, so that a refusal carries Mastodon's error body and X-Error-Message. Streaming
 * connections count toward Flock's streams per account ({@code flock.live.streams-per-account}) with its own streams:
 * one more is refused with 429.
 */
@ApplicationScoped
public class StreamingAccess {

    /**
     * After Quarkus's authentication (-200) and authorization (-100) filters, which make the request's deferred
     * identity, and before the routes without an explicit order (the WebSocket endpoints, 0 and up).
     */
    static final int AFTER_SECURITY = -10;

    @Inject
    LiveStreams streams;

    @Inject
    LiveConfig config;

    @Inject
    StreamOpensPerAddress opensPerAddress;

    void install(@Observes Router router) {
        router.route("/api/v1/streaming").order(AFTER_SECURITY).handler(context -> {
            if (!"websocket".equalsIgnoreCase(context.request().getHeader(HttpHeaders.UPGRADE))) {
                context.next();
                return;
            }
            caller(context).subscribe().with(caller -> {
                if (streams.reserve(caller.account())) {
                    context.next();
                } else {
                    refuse(context, StreamingError.tooManyStreams(config.streamsPerAccount()));
                }
            }, failure -> refuse(context, failure));
        });
    }

    /** The caller of a streaming request; fails with a {@link StreamingError} when it may not stream. */
    Uni<StreamingCaller> caller(RoutingContext context) {
        if (streams.draining()) {
            return Uni.createFrom().failure(StreamingError.unavailable());
        }
        // Flock's stream opens per client address, shared with /api/stream (Mastodon's server has no such limit).
        var wait = opensPerAddress.acquire(context.request());
        if (wait.isPresent()) {
            return Uni.createFrom().failure(StreamingError.tooManyOpens(wait.get()));
        }
        boolean presented = context.request().getHeader(HttpHeaders.AUTHORIZATION) != null;
        // A failed authentication would otherwise be answered by the framework (REST's words, not the streaming
        // server's): the refusal below is the one the client gets.
        context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (c, failure) -> { });
        Context requestContext = Vertx.currentContext();
        return QuarkusHttpUser.getSecurityIdentity(context, null)
                // An invalid, expired or signed-out token fails authentication: for the client it is just invalid.
                .onFailure().recoverWithNull()
                // Verifying may finish on another thread; the request goes on where its connection's events arrive.
                .emitOn(task -> requestContext.runOnContext(v -> task.run()))
                .map(identity -> {
                    StreamingCaller caller = StreamingCaller.of(identity);
                    if (caller == null) {
                        throw presented ? StreamingError.invalidToken() : StreamingError.missingToken();
                    }
                    return caller;
                });
    }

    static void refuse(RoutingContext context, Throwable failure) {
        if (failure instanceof StreamingError refusal) {
            refusal.send(context);
        } else {
            context.fail(failure);
        }
    }
}
