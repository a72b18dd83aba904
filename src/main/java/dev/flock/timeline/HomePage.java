package dev.flock.timeline;

import dev.flock.tweet.TweetView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A page of the home timeline: the tweets, the cursor of the next (older) page, and the stream cursor of the snapshot
 * the page was read at (open /api/stream?cursor=streamCursor to receive exactly what came after this page).
 */
@RegisterForReflection
@Schema(description = "A page of the home timeline, newest first")
public record HomePage(
        @Schema(required = true) List<TweetView> items,
        @Schema(required = true, nullable = true, description = "The id to pass as `before` for the next (older) page; null on the last page")
        String next,
        @Schema(required = true, description = "The position of the log this page was read at: open the stream with "
                + "`cursor=<streamCursor>` to receive exactly what came after it. Opaque.", examples = "AVQn0mX6p0Nshz2W9Q-WCA8I")
        String streamCursor) {
}
