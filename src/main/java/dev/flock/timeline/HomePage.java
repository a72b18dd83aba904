package dev.flock.timeline;

import dev.flock.tweet.TweetView;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A page of the home timeline: the tweets, the cursor of the next (older) page, and the stream cursor of the snapshot
 * the page was read at (open /api/stream?cursor=streamCursor to receive exactly what came after this page).
 */
@RegisterForReflection
public record HomePage(List<TweetView> items, String next, String streamCursor) {
}
