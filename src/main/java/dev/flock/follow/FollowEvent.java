package dev.flock.follow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A change of the follow graph, on flock.tweets keyed by the FOLLOWEE: it shares the followee's partition with the
 * followee's tweets, so every consumer sees the change at the same place among those tweets ("tweets after the follow
 * reach the follower"). {@code seq} (the outbox sequence) orders the changes of one pair; a consumer applies an event
 * only if its seq is higher than the last it applied for that pair. Ids are decimal strings.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FollowEvent(String type, String follower, String followee, long seq, String at) {

    public static final String FOLLOWED = "followed";
    public static final String UNFOLLOWED = "unfollowed";

    public long followerId() {
        return Long.parseLong(follower);
    }

    public long followeeId() {
        return Long.parseLong(followee);
    }

    public boolean follows() {
        return FOLLOWED.equals(type);
    }
}
