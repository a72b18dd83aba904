package dev.flock.tweet;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Idempotency-Key handling: the same key from the same author within the window answers the first tweet again.
 * Concurrent retries on this instance share one attempt; the database answers for earlier attempts on any instance;
 * and the store consumer drops a second tweet with a key already stored, for the rare retry that raced on two
 * instances before either was stored.
 */
@ApplicationScoped
public class IdempotentPosts {

    private static final Logger LOG = Logger.getLogger(IdempotentPosts.class);
    private static final int MAX_REMEMBERED = 100_000;

    private record Attempt(Uni<TweetView> result, Instant at) {
    }

    @Inject
    TweetReads reads;

    @Inject
    TweetsConfig config;

    private final Map<String, Attempt> recent = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Attempt> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    public Uni<TweetView> once(long author, String key, Supplier<Uni<TweetView>> post) {
        String slot = author + "\n" + key;
        Instant windowStart = TweetResource.windowStart(config);
        synchronized (recent) {
            Attempt known = recent.get(slot);
            if (known != null && known.at().isAfter(windowStart)) {
                return known.result();
            }
            Uni<TweetView> result = reads.byIdempotencyKey(author, key, windowStart)
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("Idempotency look-up unavailable (%s); relying on this instance's memory", e.getMessage());
                        return null;
                    })
                    .onItem().ifNull().switchTo(() -> post.get())
                    .onFailure().invoke(() -> forget(slot))
                    .memoize().indefinitely();
            recent.put(slot, new Attempt(result, Instant.now()));
            return result;
        }
    }

    private void forget(String slot) {
        synchronized (recent) {
            recent.remove(slot);
        }
    }
}
