package dev.flock.account;

import dev.flock.platform.ClientAddress;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Checks a username and password, within the sign-in limits per username and per client address. Flock's own
 * sign-in (POST /api/sessions) and the OAuth consent form share it, so both count against the same limits.
 */
@ApplicationScoped
public class SignIn {

    /** The same whether the username or the password was wrong, so it reveals nothing about which accounts exist. */
    public static final Problem WRONG = Problem.of(401, "Unauthorized", "Wrong username or password");

    @Inject
    Accounts accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    AccountsConfig config;

    private RateLimiter perUsername;
    private RateLimiter perAddress;

    @PostConstruct
    void init() {
        perUsername = new RateLimiter(config.loginPerUsername());
        perAddress = new RateLimiter(config.loginPerAddress());
    }

    /** The account, or a failure: 401 {@link #WRONG}, or 429 when attempts are too frequent. */
    public Uni<Account> verify(String username, String password, HttpServerRequest request) {
        return Uni.createFrom().deferred(() -> {
            perAddress.check(ClientAddress.of(request), "Login attempts");
            perUsername.check(username.toLowerCase(Locale.ROOT), "Login attempts for this account");
            return Panache.withSession(() -> accounts.byUsername(username))
                    .chain(account -> hasher.matches(password, account == null ? null : account.passwordHash)
                            .map(ok -> {
                                if (!ok) {
                                    throw new ProblemException(WRONG);
                                }
                                return account;
                            }));
        });
    }
}
