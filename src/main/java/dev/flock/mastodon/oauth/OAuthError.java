package dev.flock.mastodon.oauth;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** An OAuth 2 error (RFC 6749 section 5.2): {"error", "error_description"}, never cached. */
public class OAuthError extends RuntimeException {

    private final int status;
    private final String error;

    public OAuthError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public static OAuthError invalidClient() {
        return new OAuthError(401, "invalid_client",
                "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.");
    }

    public static OAuthError invalidGrant() {
        return new OAuthError(400, "invalid_grant",
                "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.");
    }

    public static OAuthError invalidScope() {
        return new OAuthError(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.");
    }

    public static class Mapper {
        @ServerExceptionMapper
        public Response oauth(OAuthError e) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", e.error);
            body.put("error_description", e.getMessage());
            Response.ResponseBuilder response = Response.status(e.status).type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Cache-Control", "no-store").entity(body);
            if (e.status == 401) {
                response.header("WWW-Authenticate", "Basic realm=\"flock\"");
            }
            return response.build();
        }
    }
}
