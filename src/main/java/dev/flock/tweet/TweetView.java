package dev.flock.tweet;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A tweet as the API and the live stream show it. */
@RegisterForReflection
public record TweetView(String id, Author author, String text, String createdAt) {

    @RegisterForReflection
    public record Author(String id, String username, String displayName) {
    }

    public long idValue() {
        return Long.parseLong(id);
    }
}
