package dev.flock.account;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.Set;

/**
 * Tokens: RS256 JWTs signed with the configured private key. Every token names its session ({@value #SESSION}), so
 * that it can be revoked before it expires; an account's token has the account id as its subject. OAuth tokens also
 * carry their granted scopes ({@value #SCOPE}) and their application ({@value #APPLICATION}).
 */
@ApplicationScoped
public class TokenIssuer {

    public static final String ISSUER = "flock";
    public static final String SESSION = "sid";
    public static final String SCOPE = "scope";
    public static final String APPLICATION = "app";

    public record Token(String value, Instant expiresAt) {
    }

    /** A token acting for the session's account. */
    public Token issue(Account account, SessionStore.Grant session) {
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER)
                .subject(String.valueOf(account.id))
                .upn(account.username)
                // Posting needs the author's name without a database read, so that posts work while PostgreSQL is down.
                .claim("name", account.displayName)
                .groups(Set.of("user"));
        return sign(claims, session);
    }

    /**
     * An application's own token (OAuth client_credentials): no account, so no subject, which every endpoint acting
     * for an account requires. Its principal name (tokens must have one) names the application.
     */
    public Token issueForApplication(SessionStore.Grant session) {
        return sign(Jwt.issuer(ISSUER).upn("application:" + session.applicationId()).groups(Set.of("application")), session);
    }

    private static Token sign(JwtClaimsBuilder claims, SessionStore.Grant session) {
        claims.claim(SESSION, session.id().toString())
                .issuedAt(Instant.now())
                .expiresAt(session.expiresAt());
        if (session.scopes() != null) {
            claims.claim(SCOPE, session.scopes());
        }
        if (session.applicationId() != null) {
            claims.claim(APPLICATION, String.valueOf(session.applicationId()));
        }
        return new Token(claims.sign(), session.expiresAt());
    }

    /** The session a verified token belongs to, or null for a token without one (never issued by this version). */
    public static String sessionOf(JsonWebToken token) {
        return token == null ? null : text(token.getClaim(SESSION));
    }

    /** A string claim, however the token parser represents it. */
    public static String text(Object claim) {
        if (claim == null) {
            return null;
        }
        return claim instanceof jakarta.json.JsonString s ? s.getString() : claim.toString();
    }
}
