package dev.flock.account;

import dev.flock.platform.ApiTime;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions", description = "Sign-in: a username and password for a bearer token")
public class SessionResource {

    @Schema(description = "A signed-in session")
    public record Session(
            @Schema(required = true, description = "The bearer token (an RS256 JWT) for the Authorization header") String token,
            @Schema(required = true, format = "date-time", description = "When the token stops working", examples = "2026-11-25T07:05:12.345Z") String expiresAt,
            @Schema(required = true) AccountView account) {
    }

    @Inject
    SignIn signIn;

    @Inject
    SessionStore sessions;

    @Inject
    RevokedSessions revoked;

    @Inject
    TokenIssuer tokens;

    @Inject
    AccountsConfig config;

    @Inject
    JsonWebToken token;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "signIn", summary = "Sign in: a bearer token for a username and password")
    @RequestBody(required = true, content = @Content(examples = @ExampleObject(name = "ada",
            value = "{\"username\": \"ada\", \"password\": \"correct horse\"}")))
    @APIResponse(responseCode = "200", description = "Signed in")
    @APIResponse(responseCode = "400", description = "The body is invalid; `errors` names each field")
    @APIResponse(responseCode = "401", description = "Wrong username or password (the same answer for either)")
    @APIResponse(responseCode = "429", description = "Too many attempts from this address (60 in 5 minutes), too many failures for this "
            + "username from this address (after 5 in a row a back-off of 1 s, doubling), or, from an address that failed recently, "
            + "too many failures for this username from anywhere (10 in 5 minutes). Checked before the password")
    public Uni<Session> login(@Valid @NotNull(message = "is required") Credentials body, @Context HttpServerRequest request) {
        return signIn.verify(body.username(), body.password(), request)
                .chain(account -> sessions.open(account.id, null, null, config.tokenLifetime()).map(session -> {
                    TokenIssuer.Token issued = tokens.issue(account, session);
                    return new Session(issued.value(), ApiTime.format(issued.expiresAt()), AccountView.of(account));
                }));
    }

    /** Signs out the token of this request (204); from now on it is refused everywhere, as are its open streams. */
    @DELETE
    @Path("/current")
    @Authenticated
    @Operation(operationId = "signOut", summary = "Sign out this token",
            description = "Within 5 seconds every instance refuses the token (401) and closes its open streams with 1008.")
    @APIResponse(responseCode = "204", description = "Signed out")
    public Uni<Response> signOut() {
        return sessions.revoke(TokenIssuer.sessionOf(token))
                .invoke(revoked::learn)
                .replaceWith(Response.noContent().build());
    }

    /** Signs the token's account out everywhere (204): every token of the account, Flock's own and OAuth alike. */
    @DELETE
    @Authenticated
    @Operation(operationId = "signOutEverywhere", summary = "Sign the account out everywhere",
            description = "Every token of the caller's account, Flock's own and OAuth alike, is refused within 5 seconds.")
    @APIResponse(responseCode = "204", description = "Signed out everywhere")
    public Uni<Response> signOutEverywhere() {
        String subject = token.getSubject();
        if (subject == null) {
            // An application's own token has no account to sign out; it can sign out only itself.
            return signOut();
        }
        return sessions.revokeAccount(Long.parseLong(subject))
                .invoke(revoked::learn)
                .replaceWith(Response.noContent().build());
    }
}
