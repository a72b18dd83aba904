package dev.flock.mastodon.streaming;

import java.util.Arrays;

/**
 * The streams of Mastodon's streaming API. Flock serves {@link #USER} (the home timeline); the others exist in Mastodon
 * but have nothing to carry here (Flock has no notifications, public feed, hashtags, lists or direct messages).
 */
enum Channel {

    USER("user", "user", "read:statuses"),
    NOTIFICATIONS("user:notification", "user/notification", "read:notifications"),
    PUBLIC("public", "public", null),
    PUBLIC_MEDIA("public:media", null, null),
    PUBLIC_LOCAL("public:local", "public/local", null),
    PUBLIC_LOCAL_MEDIA("public:local:media", null, null),
    PUBLIC_REMOTE("public:remote", "public/remote", null),
    PUBLIC_REMOTE_MEDIA("public:remote:media", null, null),
    HASHTAG("hashtag", "hashtag", null),
    HASHTAG_LOCAL("hashtag:local", "hashtag/local", null),
    LIST("list", "list", "read:statuses"),
    DIRECT("direct", "direct", "read:statuses");

    /** The name in WebSocket subscribe messages and in events' {@code stream}. */
    final String wireName;
    /** The path under /api/v1/streaming/ of its server-sent event stream, or null (reached with only_media). */
    final String path;
    /** The scope a token needs besides {@code read} (which covers every stream); null for public streams. */
    final String scope;

    Channel(String wireName, String path, String scope) {
        this.wireName = wireName;
        this.path = path;
        this.scope = scope;
    }

    /** The channel a subscribe message or the {@code stream} query parameter names, or null for an unknown one. */
    static Channel named(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst().orElse(null);
    }

    /** The channel of an event-stream path (after /api/v1/streaming/), or null for an unknown one. */
    static Channel atPath(String path, boolean onlyMedia) {
        Channel channel = Arrays.stream(values()).filter(c -> path.equals(c.path)).findFirst().orElse(null);
        if (channel == null || !onlyMedia) {
            return channel;
        }
        return switch (channel) {
            case PUBLIC -> PUBLIC_MEDIA;
            case PUBLIC_LOCAL -> PUBLIC_LOCAL_MEDIA;
            case PUBLIC_REMOTE -> PUBLIC_REMOTE_MEDIA;
            default -> channel;
        };
    }
}
