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
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "tweet");
        frame.put("tweet", Map.of("id", tweet.id(),
                "author", Map.of("id", tweet.author().id(), "username", tweet.author().username(),
                        "displayName", tweet.author().displayName() == null ? tweet.author().username() : tweet.author().displayName()),
                "text", tweet.text(), "createdAt", tweet.createdAt()));
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
