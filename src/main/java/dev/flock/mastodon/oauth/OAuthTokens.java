package dev.flock.mastodon.oauth;

import dev.flock.account.Accounts;
import dev.flock.account.SessionStore;
import dev.flock.account.TokenIssuer;
import dev.flock.mastodon.MastodonConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issues OAuth access tokens: Flock session tokens (the same RS256 JWTs, revocable the same way) that name their
 * application and scopes, valid for flock.mastodon.token-lifetime. A user's token acts for the same account on
 * Flock's own API (there only when granted read and write, since that API has no finer scopes).
 */
@ApplicationScoped
public class OAuthTokens {

    @Inject
    SessionStore sessions;

    @Inject
    TokenIssuer tokens;

    @Inject
    Accounts accounts;

    @Inject
    MastodonConfig config;

    public Uni<Map<String, Object>> forAccount(long applicationId, long accountId, String scopes) {
        return Panache.withSession(() -> accounts.byId(accountId))
                .onItem().ifNull().failWith(OAuthError::invalidGrant)
                .chain(account -> sessions.open(accountId, applicationId, scopes, config.tokenLifetime())
                        .map(session -> answer(tokens.issue(account, session), scopes)));
    }

    public Uni<Map<String, Object>> forApplication(long applicationId, String scopes) {
        return sessions.open(null, applicationId, scopes, config.tokenLifetime())
                .map(session -> answer(tokens.issueForApplication(session), scopes));
    }

    /**
     * Mastodon's Token entity. No expires_in and no refresh_token, as Mastodon: its clients never refresh, and the
     * lifetime is long enough that they need not.
     */
    private static Map<String, Object> answer(TokenIssuer.Token token, String scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value());
        body.put("token_type", "Bearer");
        body.put("scope", scopes);
        body.put("created_at", Instant.now().getEpochSecond());
        return body;
    }
}
