package dev.flock.live;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * This instance's registered streams, by the authors whose events they want (author id to streams) and by their
 * account (for the account's follow changes). A record costs one lookup here plus one offer per interested stream.
 * Only {@link LiveLog} touches it, under its lock, so that a stream enters and leaves at a known position of the log.
 */
final class InterestIndex {

    private final Map<Long, Set<StreamSession>> byAuthor = new HashMap<>();
    private final Map<Long, Set<StreamSession>> byAccount = new HashMap<>();
    private int streams;
    private long entries;

    void add(StreamSession session) {
        byAccount.computeIfAbsent(session.accountId, k -> new HashSet<>()).add(session);
        streams++;
        interest(session, session.accountId);
        for (Long author : session.follows.authors()) {
            interest(session, author);
        }
    }

    void interest(StreamSession session, long authorId) {
        if (byAuthor.computeIfAbsent(authorId, k -> new HashSet<>()).add(session)) {
            entries++;
        }
    }

    void remove(StreamSession session) {
        Set<StreamSession> mine = byAccount.get(session.accountId);
        if (mine == null || !mine.remove(session)) {
            return;
        }
        if (mine.isEmpty()) {
            byAccount.remove(session.accountId);
        }
        streams--;
        drop(session, session.accountId);
        for (Long author : session.follows.authors()) {
            drop(session, author);
        }
    }

    private void drop(StreamSession session, long authorId) {
        Set<StreamSession> set = byAuthor.get(authorId);
        if (set != null && set.remove(session)) {
            entries--;
            if (set.isEmpty()) {
                byAuthor.remove(authorId);
            }
        }
    }

    Set<StreamSession> interestedIn(long authorId) {
        return byAuthor.getOrDefault(authorId, Set.of());
    }

    Set<StreamSession> ofAccount(long accountId) {
        return byAccount.getOrDefault(accountId, Set.of());
    }

    /** Registered streams (read by metrics from any thread: a stale value is fine). */
    int streams() {
        return streams;
    }

    /** Author-to-stream entries: what the index holds, the figure that must return to its baseline. */
    long entries() {
        return entries;
    }
}
