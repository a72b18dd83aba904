package dev.flock.platform;

import java.time.Duration;

/** {@code requests} allowed per {@code per}, e.g. "10 per 1m". */
public interface RateLimit {

    int requests();

    Duration per();
}
