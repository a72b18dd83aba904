package dev.flock.follow;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A change of the follow graph, on topic flock.follows keyed by the follower id. Ids are decimal strings. */
@RegisterForReflection
public record FollowEvent(String type, String follower, String followee, String at) {

    public static final String FOLLOWED = "followed";
    public static final String UNFOLLOWED = "unfollowed";

    public long followerId() {
        return Long.parseLong(follower);
    }

    public long followeeId() {
        return Long.parseLong(followee);
    }
}
