package dev.flock.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of a list, newest first; {@code next} is the cursor of the following page, or null on the last one. */
@RegisterForReflection
public record Page<T>(
        @Schema(required = true, description = "This page's items, newest first")
        List<T> items,
        @Schema(required = true, nullable = true, description = "The cursor of the next (older) page; null on the last page. "
                + "The Link header (rel=\"next\") holds the whole URL of that page")
        String next) {
}
