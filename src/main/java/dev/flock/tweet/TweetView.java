package dev.flock.tweet;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tweet as the API and the live stream show it. */
@RegisterForReflection
@Schema(name = "Tweet", description = "A tweet as the API and the live stream show it")
public record TweetView(
        @Schema(required = true, description = "64-bit time-ordered id as a decimal string: a larger id is a newer tweet",
                pattern = "^[0-9]+$", examples = "118639394721746944") String id,
        @Schema(required = true) Author author,
        @Schema(required = true, description = "1-280 characters (Unicode code points), NFC, may hold newlines", examples = "hello, world") String text,
        @Schema(required = true, format = "date-time", description = "ISO-8601 UTC with milliseconds", examples = "2026-11-24T07:05:12.345Z") String createdAt) {

    @RegisterForReflection
    @Schema(description = "The tweet's author")
    public record Author(
            @Schema(required = true, pattern = "^[0-9]+$", examples = "17") String id,
            @Schema(required = true, examples = "ada") String username,
            @Schema(required = true, examples = "Ada") String displayName) {
    }

    public long idValue() {
        return Long.parseLong(id);
    }
}
