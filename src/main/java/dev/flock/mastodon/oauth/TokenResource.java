package dev.flock.mastodon.oauth;

import dev.flock.account.RevokedSessions;
import dev.flock.account.SessionStore;
import dev.flock.account.TokenIssuer;
import dev.flock.mastodon.Params;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/** The OAuth token and revocation endpoints (RFC 6749, RFC 7636 PKCE, RFC 7009), JSON or form-encoded. */
@Path("/oauth")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    @Inject
    OAuthApplications applications;

    @Inject
    AuthorizationCodes codes;

    @Inject
    OAuthTokens tokens;

    @Inject
    SessionStore sessions;

    @Inject
    RevokedSessions revoked;

    @Inject
    JWTParser parser;

    @POST
    @Path("/token")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> token(String body, @HeaderParam("Content-Type") String contentType,
                               @HeaderParam("Authorization") String authorization, @Context UriInfo uri) {
        Params params = Params.of(uri.getQueryParameters(), contentType, body);
        String grantType = params.text("grant_type");
        if (grantType == null || grantType.isBlank()) {
            throw OAuthError.invalidRequest("The request is missing a required parameter: grant_type.");
        }
        Uni<Map<String, Object>> answer = switch (grantType) {
            case "authorization_code" -> client(params, authorization).chain(app -> authorizationCode(app, params));
            case "client_credentials" -> client(params, authorization).chain(app -> {
                String raw = params.text("scope");
                Set<String> scopes = Scopes.parse(raw == null || raw.isBlank() ? "read" : raw);
                if (!Scopes.allSupported(scopes) || !Scopes.within(scopes, Scopes.parse(app.scopes()))) {
                    throw OAuthError.invalidScope();
                }
                return tokens.forApplication(app.id(), Scopes.format(scopes));
            });
            default -> throw new OAuthError(400, "unsupported_grant_type",
                    "The authorization grant type is not supported by the authorization server.");
        };
        return answer.map(token -> Response.ok(token).header("Cache-Control", "no-store").build());
    }

    private Uni<Map<String, Object>> authorizationCode(OAuthApplications.Application app, Params params) {
        return codes.redeem(params.text("code")).chain(grant -> {
            if (grant == null || grant.applicationId() != app.id() || !grant.redirectUri().equals(params.text("redirect_uri"))) {
                throw OAuthError.invalidGrant();
            }
            if (grant.codeChallenge() != null && !pkceMatches(grant.codeChallenge(), params.text("code_verifier"))) {
                throw OAuthError.invalidGrant();
            }
            return tokens.forAccount(app.id(), grant.accountId(), grant.scopes());
        });
    }

    /**
     * Revokes a token the client owns; 200 {} also for tokens that are unknown, malformed or already expired, as
     * RFC 7009 asks, and 403 for a token issued to another client, as Mastodon answers.
     */
    @POST
    @Path("/revoke")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> revoke(String body, @HeaderParam("Content-Type") String contentType,
                                @HeaderParam("Authorization") String authorization, @Context UriInfo uri) {
        Params params = Params.of(uri.getQueryParameters(), contentType, body);
        return client(params, authorization).chain(app -> {
            JsonWebToken token = parse(params.text("token"));
            String session = TokenIssuer.sessionOf(token);
            if (session == null) {
                return Uni.createFrom().item(Response.ok(Map.of()).build());
            }
            String tokenApp = TokenIssuer.text(token.getClaim(TokenIssuer.APPLICATION));
            if (!String.valueOf(app.id()).equals(tokenApp)) {
                throw new OAuthError(403, "unauthorized_client", "You are not authorized to revoke this token");
            }
            return sessions.revokeForApplication(session, app.id())
                    .invoke(revoked::learn)
                    .replaceWith(Response.ok(Map.of()).build());
        });
    }

    /** The client, authenticated by HTTP Basic or by client_id and client_secret parameters. */
    private Uni<OAuthApplications.Application> client(Params params, String authorization) {
        String id = params.text("client_id");
        String secret = params.text("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    id = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                    secret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient();
            }
        }
        return applications.authenticate(id, secret).onItem().ifNull().failWith(OAuthError::invalidClient);
    }

    private JsonWebToken parse(String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return null;
        }
        try {
            return parser.parse(token);
        } catch (ParseException e) {
            return null;
        }
    }

    /** RFC 7636 S256: BASE64URL(SHA-256(code_verifier)) equals the challenge. */
    static boolean pkceMatches(String challenge, String verifier) {
        if (verifier == null || verifier.length() < 43 || verifier.length() > 128 || !verifier.matches("[A-Za-z0-9._~-]+")) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
