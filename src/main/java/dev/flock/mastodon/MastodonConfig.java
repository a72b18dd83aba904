package dev.flock.mastodon;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "flock.mastodon")
public interface MastodonConfig {

    /**
     * Lifetime of OAuth access tokens. Mastodon's never expire and Mastodon clients never refresh (they have no
     * refresh token), so an expiring token would sign the user out of their app; they end when revoked (POST
     * /oauth/revoke, DELETE /api/sessions) or after this long.
     */
    @WithDefault("3650d")
    Duration tokenLifetime();

    /** How long an authorization code from the consent form may wait for POST /oauth/token. */
    @WithDefault("10m")
    Duration codeLifetime();

    /** The instance's title in /api/v1/instance and on the consent page. */
    @WithDefault("Flock")
    String title();

    /** The instance's description in /api/v1/instance. */
    @WithDefault("A Flock instance: a push-based social timeline speaking the Mastodon client API.")
    String description();

    /** The contact address in /api/v1/instance; empty when not set. */
    Optional<String> contactEmail();
}
