package dev.flock.account;

import dev.flock.platform.ClientAddress;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Checks a username and password, within the sign-in limits ({@link SignInThrottle}). Flock's own sign-in
 * (POST /api/sessions) and the OAuth consent form share it, so both count against the same limits.
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
    SignInThrottle throttle;

    /** The account, or a failure: 401 {@link #WRONG}, or 429 when attempts are too frequent. */
    public Uni<Account> verify(String username, String password, HttpServerRequest request) {
        String name = username.toLowerCase(Locale.ROOT);
        String address = ClientAddress.limitKey(request);
        return throttle.admit(name, address).chain(admission -> Panache.withSession(() -> accounts.byUsername(username))
                .chain(account -> hasher.matches(password, account == null ? null : account.passwordHash)
                        .chain(ok -> ok
                                ? throttle.succeeded(name, address, admission).replaceWith(account)
                                : throttle.failed(name, address).chain(() -> Uni.createFrom().failure(new ProblemException(WRONG))))));
    }
}
