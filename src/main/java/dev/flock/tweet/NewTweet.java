package dev.flock.tweet;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/tweets; the text is checked by {@link TweetText}. */
@Schema(description = "A new tweet")
public record NewTweet(
        @Schema(required = true, description = "1-280 characters (Unicode code points) after NFC and trimming; no control characters but newline")
        String text) {
}
