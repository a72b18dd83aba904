package dev.flock.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "flock.outbox")
public interface OutboxConfig {

    /**
     * How long a request waits, after its transaction committed, for its own events to reach Kafka before it answers
     * anyway (the relay then publishes them). While the broker is known to be down it does not wait at all.
     */
    @WithDefault("2s")
    Duration publishWait();

    /** How often each instance relays events that no request published. */
    @WithDefault("1s")
    Duration relayEvery();

    /** An event this old that is still in the outbox is relayed by whichever instance sees it. */
    @WithDefault("3s")
    Duration relayAfter();
}
