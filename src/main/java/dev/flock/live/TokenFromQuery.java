package dev.flock.live;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Browsers cannot set headers on a WebSocket. Besides the subprotocol carrier that Quarkus supports, the stream
 * accepts the token as an {@code access_token} query parameter, turned here into the Authorization header before the
 * (lazy) authentication reads it. Access logging is off; if enabled, its pattern must leave out the query string.
 */
@ApplicationScoped
public class TokenFromQuery {

    void install(@Observes Router router) {
        router.route("/api/stream").order(Integer.MIN_VALUE + 100).handler(context -> {
            if (context.request().getHeader("Authorization") == null) {
                String token = context.request().getParam("access_token");
                if (token != null && !token.isBlank()) {
                    context.request().headers().set("Authorization", "Bearer " + token);
                }
            }
            context.next();
        });
    }
}
