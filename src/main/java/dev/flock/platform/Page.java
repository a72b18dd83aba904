package dev.flock.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** A page of a list, newest first; {@code next} is the cursor of the following page, or null on the last one. */
@RegisterForReflection
public record Page<T>(List<T> items, String next) {
}
