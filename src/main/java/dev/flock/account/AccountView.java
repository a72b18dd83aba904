package dev.flock.account;

import dev.flock.platform.ApiTime;

/** An account as the API shows it; the id is a string because JavaScript numbers lose 64-bit precision. */
public record AccountView(String id, String username, String displayName, String bio, String createdAt,
                          int followersCount, int followingCount, int tweetsCount) {

    static AccountView of(Account a) {
        return new AccountView(String.valueOf(a.id), a.username, a.displayName, a.bio, ApiTime.format(a.createdAt),
                a.followersCount, a.followingCount, a.tweetsCount);
    }
}
