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

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public record Session(String token, String expiresAt, AccountView account) {
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
    public Uni<Response> signOut() {
        return sessions.revoke(TokenIssuer.sessionOf(token))
                .invoke(revoked::learn)
                .replaceWith(Response.noContent().build());
    }

    /** Signs the token's account out everywhere (204): every token of the account, Flock's own and OAuth alike. */
    @DELETE
    @Authenticated
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
