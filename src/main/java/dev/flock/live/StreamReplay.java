package dev.flock.live;

import dev.flock.timeline.HomeTimeline;
import dev.flock.tweet.SnowflakeIds;
import dev.flock.tweet.TweetView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Gap-free resume. The stream is already registered (its live frames wait in its queue) when this runs: it reads the
 * home-timeline tweets newer than {@code since} from PostgreSQL, adds the recent ring (which covers the store
 * consumer's lag), writes them oldest first, then lets the queued live frames follow minus those already replayed,
 * then caught-up.
 */
@ApplicationScoped
class StreamReplay {

    /** However recent {@code since}, a replay larger than this answers "reset". */
    private static final int HARD_CAP = 10_000;

    @Inject
    HomeTimeline timeline;

    @Inject
    RecentTweets recent;

    @Inject
    LiveConfig config;

    @Inject
    LiveMetrics metrics;

    /** Completes when the replay is written; answers false if the stream was told to reset. */
    Uni<Boolean> replay(StreamSession session, Long since) {
        if (since == null) {
            session.resume(java.util.Collections.emptyNavigableSet(), null);
            return Uni.createFrom().item(true);
        }
        boolean recentSince = SnowflakeIds.timeOf(since).isAfter(Instant.now().minus(config.replayMaxAge()));
        int limit = recentSince ? HARD_CAP : config.replayMaxTweets();
        return timeline.newerThan(session.accountId, since, limit + 1).chain(stored -> {
            if (stored.size() > limit) {
                return session.connection.sendText(Frames.reset()).replaceWith(false);
            }
            TreeMap<Long, String> frames = new TreeMap<>();
            for (TweetView t : stored) {
                if (!recent.isDeleted(t.idValue())) {
                    frames.put(t.idValue(), Frames.tweet(t));
                }
            }
            for (LiveTweet t : recent.newerThan(since, Set.copyOf(session.interests))) {
                frames.putIfAbsent(t.id(), t.frame());
            }
            return Multi.createFrom().iterable(frames.values())
                    .onItem().transformToUniAndConcatenate(frame -> session.connection.sendText(frame).invoke(() -> metrics.replayed()))
                    .collect().last()
                    .invoke(() -> session.resume(frames.navigableKeySet(), frames.isEmpty() ? since : frames.lastKey()))
                    .replaceWith(true);
        });
    }
}
