package dev.flock.platform;

import java.time.Duration;

/** {@code requests} allowed per {@code per}, e.g. "10 per 1m": a burst of that many, then one every per/requests. */
public interface RateLimit {

    int requests();

    Duration per();

    /** The time one request stands for: after a burst, one more is allowed this often. */
    default Duration interval() {
        return per().dividedBy(requests());
    }

    /** A limit with these values (configuration supplies the others). */
    static RateLimit of(int requests, Duration per) {
        record Fixed(int requests, Duration per) implements RateLimit {
        }
        return new Fixed(requests, per);
    }
}
