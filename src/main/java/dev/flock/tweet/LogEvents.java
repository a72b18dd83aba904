package dev.flock.tweet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.follow.FollowEvent;

import java.io.IOException;

/**
 * Reads a record of the flock.tweets log: a {@link TweetEvent} (created, deleted) or a {@link FollowEvent} (followed,
 * unfollowed, keyed by the followee so that it is ordered with the followee's tweets).
 */
public final class LogEvents {

    private LogEvents() {
    }

    /** The event, or an exception naming what is wrong with the record. */
    public static Object parse(ObjectMapper json, String value) throws IOException {
        JsonNode node = json.readTree(value);
        String type = node == null ? null : node.path("type").asText(null);
        if (type == null) {
            throw new IllegalArgumentException("no type");
        }
        switch (type) {
            case TweetEvent.CREATED, TweetEvent.DELETED -> {
                TweetEvent event = json.treeToValue(node, TweetEvent.class);
                if (event.id() == null || event.author() == null || event.author().id() == null) {
                    throw new IllegalArgumentException("missing id or author");
                }
                event.idValue();
                event.authorId();
                if (TweetEvent.CREATED.equals(type) && (event.text() == null || event.createdAt() == null)) {
                    throw new IllegalArgumentException("missing text or createdAt");
                }
                return event;
            }
            case FollowEvent.FOLLOWED, FollowEvent.UNFOLLOWED -> {
                FollowEvent event = json.treeToValue(node, FollowEvent.class);
                event.followerId();
                event.followeeId();
                return event;
            }
            default -> throw new IllegalArgumentException("unknown event type " + type);
        }
    }
}
