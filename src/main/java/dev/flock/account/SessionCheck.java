package dev.flock.account;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every authentication, REST request and WebSocket upgrade alike, passes here after the token's signature and expiry
 * were verified: a token must name a session, and that session must not be revoked. Otherwise the request is
 * unauthenticated (401), as with any invalid token.
 */
@ApplicationScoped
public class SessionCheck implements SecurityIdentityAugmentor {

    @Inject
    RevokedSessions revoked;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String session = TokenIssuer.sessionOf(token);
        if (session == null || revoked.isRevoked(session)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The token was signed out"));
        }
        return Uni.createFrom().item(identity);
    }
}
