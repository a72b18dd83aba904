package dev.flock.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Which stream the fan-out readers hold: Flock's own /api/stream (frames with cursors, caught-up once live) or
 * Mastodon's user stream /api/v1/streaming?stream=user (events whose payload is the Status as a JSON string; nothing
 * marks the moment it is live), with the token in the query or in the Authorization header.
 */
enum StreamApi {
    FLOCK("flock (/api/stream)"),
    MASTODON_QUERY("mastodon (/api/v1/streaming?stream=user, token in access_token)"),
    MASTODON_HEADER("mastodon (/api/v1/streaming?stream=user, token in Authorization)");

    final String description;

    StreamApi(String description) {
        this.description = description;
    }

    static StreamApi of(Config config) {
        return switch (config.str("stream-api")) {
            case "flock" -> FLOCK;
            case "mastodon" -> switch (config.str("mastodon-token")) {
                case "query" -> MASTODON_QUERY;
                case "header" -> MASTODON_HEADER;
                default -> throw new IllegalArgumentException("--mastodon-token must be query or header");
            };
            default -> throw new IllegalArgumentException("--stream-api must be flock or mastodon");
        };
    }

    boolean mastodon() {
        return this != FLOCK;
    }

    String uri(String token) {
        return switch (this) {
            case FLOCK -> "/api/stream";
            case MASTODON_QUERY -> "/api/v1/streaming?stream=user&access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            case MASTODON_HEADER -> "/api/v1/streaming?stream=user";
        };
    }

    /** The token for the Authorization header, or null when it travels in the URI. */
    String headerToken(String token) {
        return this == MASTODON_QUERY ? null : token;
    }

    /** What a frame says: a tweet's text (for Mastodon, the Status text from the run's marker on), caught-up, or other. */
    record Frame(String tweetText, boolean caughtUp) {
        static final Frame OTHER = new Frame(null, false);
    }

    /**
     * Reads a frame. A Mastodon event's payload is not parsed a second time: the tweet's text (the run's marker and
     * its number, no character HTML or JSON escapes) is found in it as it is, so the generator spends about as much
     * per frame on either API.
     */
    Frame read(JsonNode frame, String marker) {
        if (this == FLOCK) {
            return switch (frame.path("type").asText()) {
                case "tweet" -> new Frame(frame.path("tweet").path("text").asText(), false);
                case "caught-up" -> new Frame(null, true);
                default -> Frame.OTHER;
            };
        }
        if (!frame.path("event").asText().equals("update")) {
            return Frame.OTHER;
        }
        String payload = frame.path("payload").asText();
        int at = payload.indexOf(marker);
        return new Frame(at < 0 ? payload : payload.substring(at), false);
    }
}
