package dev.flock.platform;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Cross-origin requests as Mastodon allows them, so that web clients on any origin can call the API: any origin,
 * any request header, no credentials (tokens travel in the Authorization header, never in cookies), and the paging
 * and rate-limit headers exposed. Covers /api/* (Flock's own API and the Mastodon API), the OAuth token and
 * revocation endpoints, and /.well-known/* (GET).
 */
@ApplicationScoped
public class Cors {

    private static final String API_METHODS = "POST, PUT, DELETE, GET, PATCH, OPTIONS";
    private static final String EXPOSED = "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id, Retry-After";
    /** How long a browser may reuse a preflight answer, in seconds. */
    private static final String MAX_AGE = "7200";

    void install(@Observes Router router) {
        int order = Integer.MIN_VALUE + 2;
        router.route("/api/*").order(order).handler(ctx -> handle(ctx, API_METHODS, EXPOSED));
        router.route("/oauth/token").order(order).handler(ctx -> handle(ctx, "POST", null));
        router.route("/oauth/revoke").order(order).handler(ctx -> handle(ctx, "POST", null));
        router.route("/.well-known/*").order(order).handler(ctx -> handle(ctx, "GET", null));
    }

    private static void handle(RoutingContext ctx, String methods, String exposed) {
        if (ctx.request().getHeader("Origin") == null) {
            ctx.next();
            return;
        }
        String requested = ctx.request().getHeader("Access-Control-Request-Method");
        if (ctx.request().method() == HttpMethod.OPTIONS && requested != null) {
            var response = ctx.response().setStatusCode(200)
                    .putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Access-Control-Allow-Methods", methods)
                    .putHeader("Access-Control-Max-Age", MAX_AGE);
            String headers = ctx.request().getHeader("Access-Control-Request-Headers");
            if (headers != null) {
                response.putHeader("Access-Control-Allow-Headers", headers);
            }
            response.end();
            return;
        }
        ctx.response().putHeader("Access-Control-Allow-Origin", "*");
        if (exposed != null) {
            ctx.response().putHeader("Access-Control-Expose-Headers", exposed);
        }
        ctx.next();
    }
}
