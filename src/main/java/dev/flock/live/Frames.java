package dev.flock.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.tweet.TweetView;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON text frames of the live stream (API.md "Live stream"). Each is serialised once, whatever the fan-out. */
final class Frames {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Frames() {
    }

    static String tweet(TweetView tweet) {
        // The same field order as the REST answers, for readers and for diffing.
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("id", tweet.author().id());
        author.put("username", tweet.author().username());
        author.put("displayName", tweet.author().displayName() == null ? tweet.author().username() : tweet.author().displayName());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", tweet.id());
        body.put("author", author);
        body.put("text", tweet.text());
        body.put("createdAt", tweet.createdAt());
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "tweet");
        frame.put("tweet", body);
        return write(frame);
    }

    static String delete(long id) {
        return "{\"type\":\"delete\",\"id\":\"" + id + "\"}";
    }

    static String caughtUp(Long lastId) {
        return lastId == null ? "{\"type\":\"caught-up\",\"lastId\":null}" : "{\"type\":\"caught-up\",\"lastId\":\"" + lastId + "\"}";
    }

    static String reset() {
        return "{\"type\":\"reset\"}";
    }

    private static String write(Object frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
