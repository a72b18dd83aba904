package dev.flock.mastodon.streaming;

import dev.flock.account.TokenIssuer;
import dev.flock.live.LiveStreams;
import dev.flock.mastodon.oauth.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/**
 * Who a streaming connection is for, from its verified token: the account, the token's session (signing it out ends
 * the streams) and expiry, and its scopes (null for Flock's own session tokens, which may do everything).
 */
record StreamingCaller(long account, String session, long expiresAtMillis, Set<String> scopes) {

    /** The caller of a verified identity; null when there is none or it acts for no account (an application token). */
    static StreamingCaller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)
                || token.getSubject() == null) {
            return null;
        }
        String scope = TokenIssuer.text(token.getClaim(TokenIssuer.SCOPE));
        return new StreamingCaller(Long.parseLong(token.getSubject()), TokenIssuer.sessionOf(token),
                token.getExpirationTime() * 1000, scope == null ? null : Scopes.parse(scope));
    }

    /** Whether the token may read this channel: public ones need no scope, the others {@code read} or their own. */
    boolean mayRead(Channel channel) {
        return channel.scope == null || scopes == null || Scopes.covers(scopes, channel.scope);
    }

    LiveStreams.Opening opening() {
        return new LiveStreams.Opening(account, session, expiresAtMillis, null);
    }
}
