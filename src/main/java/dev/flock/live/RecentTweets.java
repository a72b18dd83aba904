package dev.flock.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The newest tweets this instance consumed from flock.tweets, and the ids deleted among them. A replay merges them
 * with PostgreSQL's answer because the store consumer may not have written the newest ones yet.
 */
@ApplicationScoped
class RecentTweets {

    @Inject
    LiveConfig config;

    private final ArrayDeque<LiveTweet> ring = new ArrayDeque<>();
    private final Set<Long> deleted = new HashSet<>();
    private final ArrayDeque<Long> deletedOrder = new ArrayDeque<>();

    synchronized void created(LiveTweet tweet) {
        ring.addLast(tweet);
        while (ring.size() > config.recentTweets()) {
            ring.removeFirst();
        }
    }

    synchronized void deleted(long id) {
        if (deleted.add(id)) {
            deletedOrder.addLast(id);
            while (deletedOrder.size() > config.recentTweets()) {
                deleted.remove(deletedOrder.removeFirst());
            }
        }
    }

    synchronized boolean isDeleted(long id) {
        return deleted.contains(id);
    }

    /** Kept tweets newer than {@code since} by any of the authors, not deleted: one scan of the ring, a set lookup each. */
    synchronized List<LiveTweet> newerThan(long since, Set<Long> authors) {
        List<LiveTweet> found = new ArrayList<>();
        for (LiveTweet t : ring) {
            if (t.id() > since && authors.contains(t.authorId()) && !deleted.contains(t.id())) {
                found.add(t);
            }
        }
        return found;
    }
}
