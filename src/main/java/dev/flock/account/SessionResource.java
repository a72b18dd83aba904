package dev.flock.account;

import dev.flock.platform.ApiTime;
import dev.flock.platform.ClientAddress;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Locale;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions", description = "Sign-in: a username and password for a bearer token")
public class SessionResource {

    /** The body is the same whether the username or the password was wrong, so it reveals which accounts exist. */
    private static final Problem WRONG = Problem.of(401, "Unauthorized", "Wrong username or password");

    @Schema(description = "A signed-in session")
    public record Session(
            @Schema(required = true, description = "The bearer token (an RS256 JWT) for the Authorization header") String token,
            @Schema(required = true, format = "date-time", description = "When the token stops working", examples = "2026-11-25T07:05:12.345Z") String expiresAt,
            @Schema(required = true) AccountView account) {
    }

    @Inject
    Accounts accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    TokenIssuer tokens;

    @Inject
    AccountsConfig config;

    private RateLimiter perUsername;
    private RateLimiter perAddress;

    @PostConstruct
    void init() {
        perUsername = new RateLimiter(config.loginPerUsername());
        perAddress = new RateLimiter(config.loginPerAddress());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "signIn", summary = "Sign in: a bearer token for a username and password")
    @RequestBody(required = true, content = @Content(examples = @ExampleObject(name = "ada",
            value = "{\"username\": \"ada\", \"password\": \"correct horse\"}")))
    @APIResponse(responseCode = "200", description = "Signed in")
    @APIResponse(responseCode = "400", description = "The body is invalid; `errors` names each field")
    @APIResponse(responseCode = "401", description = "Wrong username or password (the same answer for either)")
    @APIResponse(responseCode = "429", description = "Too many attempts for this username (10 in 5 minutes) or from this address (60)")
    public Uni<Session> login(@Valid @NotNull(message = "is required") Credentials body, @Context HttpServerRequest request) {
        perAddress.check(ClientAddress.of(request), "Login attempts");
        perUsername.check(body.username().toLowerCase(Locale.ROOT), "Login attempts for this account");
        return Panache.withSession(() -> accounts.byUsername(body.username()))
                .chain(account -> hasher.matches(body.password(), account == null ? null : account.passwordHash)
                        .map(ok -> {
                            if (!ok) {
                                throw new ProblemException(WRONG);
                            }
                            TokenIssuer.Token token = tokens.issue(account);
                            return new Session(token.value(), ApiTime.format(token.expiresAt()), AccountView.of(account));
                        }));
    }
}
