package dev.flock.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.tweet.TweetView;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON text frames of Flock's own stream, /api/stream (docs/api.md "Live stream"). A tweet's JSON is serialised
 * once; a frame wraps it with the cursor the client stores.
 */
final class FlockFrames implements StreamFormat {

    static final FlockFrames FORMAT = new FlockFrames();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlockFrames() {
    }

    @Override
    public boolean carriesCursor() {
        return true;
    }

    @Override
    public String tweet(LiveTweet tweet, String cursor) {
        return tweet(tweet.json(), cursor);
    }

    @Override
    public String delete(long tweetId, String cursor) {
        return "{\"type\":\"delete\",\"id\":\"" + tweetId + "\",\"cursor\":\"" + cursor + "\"}";
    }

    @Override
    public String caughtUp(String cursor) {
        return "{\"type\":\"caught-up\",\"cursor\":\"" + cursor + "\"}";
    }

    /** The tweet as REST answers it, with the same field order, for readers and for diffing. */
    static String tweetJson(TweetView tweet) {
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("id", tweet.author().id());
        author.put("username", tweet.author().username());
        author.put("displayName", tweet.author().displayName() == null ? tweet.author().username() : tweet.author().displayName());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", tweet.id());
        body.put("author", author);
        body.put("text", tweet.text());
        body.put("createdAt", tweet.createdAt());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Cursors are base64url and ids decimal: neither needs JSON escaping.

    static String tweet(String tweetJson, String cursor) {
        return "{\"type\":\"tweet\",\"tweet\":" + tweetJson + ",\"cursor\":\"" + cursor + "\"}";
    }

    /** Why the stream cannot continue from the client's cursor; the client reloads over REST and reconnects. */
    static String reset(String reason) {
        try {
            return "{\"type\":\"reset\",\"reason\":" + JSON.writeValueAsString(reason) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
