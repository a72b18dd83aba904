package dev.flock.mastodon.streaming;

import io.quarkus.websockets.next.HandshakeRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Mastodon clients carry the streaming token in the Authorization header, the {@code access_token} query parameter
 * or (browsers, which cannot set headers on a WebSocket) as the offered subprotocol itself. The latter two are
 * turned here into the Authorization header before the (lazy) authentication reads it. The 101 echoes the offered
 * subprotocol ({@code quarkus.websockets-next.server.supported-subprotocols} ends with {@code *}): browsers and the
 * ws library abort a handshake that answers none.
 */
@ApplicationScoped
public class StreamingTokens {

    /** Streaming paths: the WebSocket /api/v1/streaming and the event streams below it. */
    static final String PATHS = "/api/v1/streaming(/.*)?";

    void install(@Observes Router router) {
        router.routeWithRegex(PATHS).order(Integer.MIN_VALUE + 100).handler(context -> {
            HttpServerRequest request = context.request();
            if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
                String token = carried(request);
                if (token != null) {
                    request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
                }
            }
            context.next();
        });
    }

    /** The token from the query, else the first offered subprotocol that is not one of Quarkus's own carriers. */
    private static String carried(HttpServerRequest request) {
        String query = request.getParam("access_token");
        if (query != null && !query.isBlank()) {
            return query.strip();
        }
        for (String header : request.headers().getAll(HandshakeRequest.SEC_WEBSOCKET_PROTOCOL)) {
            for (String offered : header.split(",")) {
                String protocol = offered.strip();
                if (!protocol.isEmpty() && !protocol.equals("bearer-token-carrier") && !protocol.startsWith("quarkus-http-upgrade#")) {
                    return protocol;
                }
            }
        }
        return null;
    }
}
