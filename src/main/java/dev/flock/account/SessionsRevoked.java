package dev.flock.account;

import java.util.Set;

/**
 * Fired on every instance once it knows sessions were revoked (whichever instance revoked them), so that what was
 * opened with their tokens, such as live streams, can be closed. {@code accountIds} are the sessions' accounts.
 */
public record SessionsRevoked(Set<String> sessionIds, Set<Long> accountIds) {
}
