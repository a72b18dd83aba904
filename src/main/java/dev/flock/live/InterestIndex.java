package dev.flock.live;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's open streams, by the authors they want (author id to streams) and by their account (for follow
 * changes). A tweet costs one lookup here plus one send per interested local stream.
 */
@ApplicationScoped
class InterestIndex {

    private final ConcurrentHashMap<Long, Set<StreamSession>> byAuthor = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<StreamSession>> byAccount = new ConcurrentHashMap<>();

    /** Registers the stream for its own account first, so follow changes from now on reach it. */
    void open(StreamSession session) {
        byAccount.computeIfAbsent(session.accountId, k -> ConcurrentHashMap.newKeySet()).add(session);
        interest(session, session.accountId);
    }

    void interest(StreamSession session, long authorId) {
        session.interests.add(authorId);
        byAuthor.computeIfAbsent(authorId, k -> ConcurrentHashMap.newKeySet()).add(session);
    }

    void interestAll(StreamSession session, Collection<Long> authorIds) {
        authorIds.forEach(a -> interest(session, a));
    }

    void noInterest(StreamSession session, long authorId) {
        if (authorId == session.accountId) {
            return;
        }
        session.interests.remove(authorId);
        byAuthor.computeIfPresent(authorId, (k, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
    }

    void close(StreamSession session) {
        for (Long author : session.interests) {
            byAuthor.computeIfPresent(author, (k, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
        }
        byAccount.computeIfPresent(session.accountId, (k, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
    }

    Set<StreamSession> interestedIn(long authorId) {
        return byAuthor.getOrDefault(authorId, Set.of());
    }

    Set<StreamSession> ofAccount(long accountId) {
        return byAccount.getOrDefault(accountId, Set.of());
    }

    int openStreams() {
        return byAccount.values().stream().mapToInt(Set::size).sum();
    }

    Collection<Set<StreamSession>> allByAccount() {
        return byAccount.values();
    }
}
