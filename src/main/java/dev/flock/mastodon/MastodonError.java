package dev.flock.mastodon;

/**
 * A failure worded as Mastodon words it, answered as {"error": message} (application/json). Failures of the shared
 * services (problem+json everywhere else) are reworded for Mastodon paths by {@link MastodonErrors}.
 */
public class MastodonError extends RuntimeException {

    private final int status;

    public MastodonError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static MastodonError notFound() {
        return new MastodonError(404, "Record not found");
    }

    public static MastodonError invalid(String what) {
        return new MastodonError(422, "Validation failed: " + what);
    }

    public static MastodonError userRequired() {
        return new MastodonError(422, "This method requires an authenticated user");
    }

    public static MastodonError outsideScopes() {
        return new MastodonError(403, "This action is outside the authorized scopes");
    }

    public static MastodonError notAllowed() {
        return new MastodonError(403, "This action is not allowed");
    }
}
