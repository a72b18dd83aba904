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

import java.util.Locale;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** The body is the same whether the username or the password was wrong, so it reveals which accounts exist. */
    private static final Problem WRONG = Problem.of(401, "Unauthorized", "Wrong username or password");

    public record Session(String token, String expiresAt, AccountView account) {
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
