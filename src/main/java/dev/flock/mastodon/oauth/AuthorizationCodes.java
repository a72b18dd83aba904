package dev.flock.mastodon.oauth;

import dev.flock.mastodon.MastodonConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/** Authorization codes between the consent form and POST /oauth/token: single use, short-lived, stored hashed. */
@ApplicationScoped
public class AuthorizationCodes {

    /** What a code stands for. */
    public record Grant(long applicationId, long accountId, String redirectUri, String scopes, String codeChallenge) {
    }

    @Inject
    Pool pool;

    @Inject
    MastodonConfig config;

    /** Stores a new code; codes that expired unredeemed are swept in the same statement. */
    public Uni<String> issue(Grant grant) {
        String code = OAuthApplications.randomToken();
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(config.codeLifetime());
        return pool.preparedQuery("""
                        WITH swept AS (DELETE FROM oauth_authorization_codes WHERE expires_at < now())
                        INSERT INTO oauth_authorization_codes (code_hash, application_id, account_id, redirect_uri, scopes, code_challenge, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.tuple(Arrays.asList(OAuthApplications.sha256(code), grant.applicationId(), grant.accountId(),
                        grant.redirectUri(), grant.scopes(), grant.codeChallenge(), expires)))
                .replaceWith(code);
    }

    /** Takes the code (it can never be used again) and answers its grant, or null if unknown or expired. */
    public Uni<Grant> redeem(String code) {
        if (code == null || code.isEmpty() || code.length() > 200) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("DELETE FROM oauth_authorization_codes WHERE code_hash = $1 RETURNING *, expires_at > now() AS live")
                .execute(Tuple.of(OAuthApplications.sha256(code)))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    if (!row.getBoolean("live")) {
                        return null;
                    }
                    return new Grant(row.getLong("application_id"), row.getLong("account_id"), row.getString("redirect_uri"),
                            row.getString("scopes"), row.getString("code_challenge"));
                });
    }
}
