package dev.flock.mastodon;

import dev.flock.platform.ErrorDialect;
import dev.flock.platform.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Errors on the Mastodon paths as Mastodon answers them: {"error": "..."} in application/json, with Mastodon's own
 * words for the common cases (clients show them to people, and some compare them).
 */
@ApplicationScoped
public class MastodonErrors implements ErrorDialect {

    @Override
    public boolean speaks(String path) {
        return path.startsWith("/api/v1/") || path.startsWith("/api/v2/") || path.startsWith("/oauth/")
                || path.startsWith("/.well-known/oauth-authorization-server");
    }

    @Override
    public Worded word(Problem problem) {
        return switch (problem.status()) {
            // Mastodon answers invalid input with 422 and the failed validation.
            case 400 -> "urn:flock:problem:validation".equals(problem.type())
                    ? new Worded(422, body("Validation failed: " + capitalised(problem.detail())))
                    : new Worded(400, body(problem.detail()));
            case 401 -> new Worded(401, body("The access token is invalid"));
            case 403 -> new Worded(403, body("This action is not allowed"));
            case 404 -> new Worded(404, body("Record not found"));
            case 429 -> new Worded(429, body("Too many requests"));
            default -> new Worded(problem.status(), body(problem.detail()));
        };
    }

    @ServerExceptionMapper
    public Response mastodon(MastodonError e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body(e.getMessage())).build();
    }

    static Map<String, String> body(String error) {
        return Map.of("error", error == null ? "" : error);
    }

    private static String capitalised(String text) {
        return text == null || text.isEmpty() ? "" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
