package dev.flock.account;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Set;

/** Session tokens: RS256 JWTs whose subject is the account id, signed with the configured private key. */
@ApplicationScoped
public class TokenIssuer {

    public static final String ISSUER = "flock";

    @Inject
    AccountsConfig config;

    public record Token(String value, Instant expiresAt) {
    }

    public Token issue(Account account) {
        Instant now = Instant.now();
        Instant expiresAt = now.plus(config.tokenLifetime());
        String value = Jwt.issuer(ISSUER)
                .subject(String.valueOf(account.id))
                .upn(account.username)
                // Posting needs the author's name without a database read, so that posts work while PostgreSQL is down.
                .claim("name", account.displayName)
                .groups(Set.of("user"))
                .issuedAt(now)
                .expiresAt(expiresAt)
                .sign();
        return new Token(value, expiresAt);
    }
}
