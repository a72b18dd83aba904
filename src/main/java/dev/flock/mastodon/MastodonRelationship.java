package dev.flock.mastodon;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** Mastodon's Relationship entity: Flock knows following and followed-by; blocks, mutes and the rest are false. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MastodonRelationship(String id, boolean following, boolean showingReblogs, boolean notifying,
                                   List<String> languages, boolean followedBy, boolean blocking, boolean blockedBy,
                                   boolean muting, boolean mutingNotifications, String mutingExpiresAt, boolean requested,
                                   boolean requestedBy, boolean domainBlocking, boolean endorsed, String note) {

    public static MastodonRelationship of(long id, boolean following, boolean followedBy) {
        return new MastodonRelationship(String.valueOf(id), following, following, false, null, followedBy, false, false,
                false, false, null, false, false, false, false, "");
    }
}
