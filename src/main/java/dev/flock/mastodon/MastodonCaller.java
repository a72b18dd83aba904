package dev.flock.mastodon;

import dev.flock.account.TokenIssuer;
import dev.flock.mastodon.oauth.Scopes;
import dev.flock.tweet.TweetView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/**
 * Who a Mastodon API request acts for, from its verified token (the endpoint is @Authenticated, so a missing or bad
 * token was already answered 401). Flock's own session tokens carry no scopes and may do everything; OAuth tokens
 * may do what their scopes cover.
 */
@RequestScoped
public class MastodonCaller {

    @Inject
    JsonWebToken token;

    /** The account the token acts for, if its scopes cover one of {@code scopes}. */
    public long account(String... scopes) {
        String subject = token.getSubject();
        if (subject == null) {
            throw MastodonError.userRequired();
        }
        require(scopes);
        return Long.parseLong(subject);
    }

    /** Passes if the token's scopes cover one of {@code scopes}; 403 otherwise. */
    public void require(String... scopes) {
        String granted = TokenIssuer.text(token.getClaim(TokenIssuer.SCOPE));
        if (granted == null) {
            return;
        }
        Set<String> grantedScopes = Scopes.parse(granted);
        for (String scope : scopes) {
            if (Scopes.covers(grantedScopes, scope)) {
                return;
            }
        }
        throw MastodonError.outsideScopes();
    }

    /** The author of what this caller posts, from the token alone (posting needs no database read). */
    public TweetView.Author author(String scope) {
        long id = account(scope);
        return new TweetView.Author(String.valueOf(id), token.getName(), TokenIssuer.text(token.getClaim("name")));
    }

    /** The OAuth application the token was issued to, or null for Flock's own session tokens. */
    public Long application() {
        String app = TokenIssuer.text(token.getClaim(TokenIssuer.APPLICATION));
        return app == null ? null : Long.valueOf(app);
    }
}
