package dev.flock.mastodon.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.live.LiveTweet;
import dev.flock.live.StreamFormat;
import dev.flock.mastodon.MastodonStatus;
import dev.flock.mastodon.Urls;

/**
 * The events of Mastodon's user stream for clients of one origin (Status entities carry absolute URLs):
 * {"stream":["user"],"event":"update","payload":"<Status JSON>"} and "delete" with the id. No cursors, so a stream
 * starts live and is never replayed, as Mastodon's. The Status is rendered from the tweet alone (no database read
 * under the fan-out's lock): its author's counters are 0 (docs/mastodon-api.md).
 *
 * <p>Server-sent event streams get the same frame, rewritten per stream by {@link #eventStream}: one format per origin
 * keeps the frame rendered once for every WebSocket of the origin.
 */
final class MastodonStreamFormat implements StreamFormat {

    private static final String PREFIX = "{\"stream\":[\"user\"],\"event\":\"";

    private final Urls urls;
    private final ObjectMapper json;

    MastodonStreamFormat(Urls urls, ObjectMapper json) {
        this.urls = urls;
        this.json = json;
    }

    @Override
    public boolean carriesCursor() {
        return false;
    }

    @Override
    public String tweet(LiveTweet tweet, String cursor) {
        return event("update", write(MastodonStatus.ofTweet(tweet.view(), urls)));
    }

    @Override
    public String delete(long tweetId, String cursor) {
        return event("delete", String.valueOf(tweetId));
    }

    /** Mastodon sends nothing when a stream goes live. */
    @Override
    public String caughtUp(String cursor) {
        return null;
    }

    /** The payload travels as a JSON string (Mastodon's clients parse it a second time). */
    private String event(String name, String payload) {
        return PREFIX + name + "\",\"payload\":" + write(payload) + "}";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A frame of this format as a server-sent event: {@code event: <name>} and {@code data: <payload>}. */
    String eventStream(String frame) {
        try {
            JsonNode event = json.readTree(frame);
            // Jackson writes no raw line break inside JSON, so the payload is one data line.
            return "event: " + event.get("event").asText() + "\ndata: " + event.get("payload").asText() + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
