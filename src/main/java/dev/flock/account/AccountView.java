package dev.flock.account;

import dev.flock.platform.ApiTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An account as the API shows it; the id is a string because JavaScript numbers lose 64-bit precision. */
@Schema(name = "Account", description = "An account as everyone may see it")
public record AccountView(
        @Schema(required = true, description = "64-bit id as a decimal string", pattern = "^[0-9]+$", examples = "17") String id,
        @Schema(required = true, description = "3-30 of A-Z a-z 0-9 _, unique ignoring case", examples = "ada") String username,
        @Schema(required = true, description = "Up to 50 characters; the username when none was given", examples = "Ada") String displayName,
        @Schema(required = true, description = "Up to 160 characters, may hold newlines; empty when none was given", examples = "Analyst") String bio,
        @Schema(required = true, format = "date-time", description = "ISO-8601 UTC with milliseconds", examples = "2026-11-24T07:05:12.345Z") String createdAt,
        @Schema(required = true, minimum = "0") int followersCount,
        @Schema(required = true, minimum = "0") int followingCount,
        @Schema(required = true, minimum = "0", description = "Tweets posted and not deleted") int tweetsCount) {

    static AccountView of(Account a) {
        return new AccountView(String.valueOf(a.id), a.username, a.displayName, a.bio, ApiTime.format(a.createdAt),
                a.followersCount, a.followingCount, a.tweetsCount);
    }
}
