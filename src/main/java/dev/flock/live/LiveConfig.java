package dev.flock.live;

import dev.flock.platform.RateLimit;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "flock.live")
public interface LiveConfig {

    /** Frames a stream may have waiting to be written before the client counts as too slow (closed with 1013). */
    @WithDefault("1000")
    int maxQueuedFrames();

    /** Bytes a stream may have waiting to be written before the client counts as too slow (closed with 1013). */
    @WithDefault("1048576")
    int maxQueuedBytes();

    /** A resume that would replay more frames than this answers "reset" (reload over REST instead). */
    @WithDefault("10000")
    int replayMaxFrames();

    /**
     * Frames all replays of this instance send per second together: a reconnect storm clears at this rate, leaving
     * the cores to live delivery (at 5,000 a second, 100 clients resuming 240 frames each are served in about 5 s).
     */
    @WithDefault("5000")
    int replayFramesPerSecond();

    /** Frames read from PostgreSQL per partition per round trip of a replay. */
    @WithDefault("200")
    int replayBatch();

    /**
     * Recent log records this instance keeps in memory: they cover what the store consumer has not written to
     * PostgreSQL yet. A replay waits (up to {@link #coverageWait()}) while the store lags further behind than this.
     */
    @WithDefault("50000")
    int recentRecords();

    /** How long a stream open waits for the store consumer to come within the ring's reach before giving up. */
    @WithDefault("5s")
    Duration coverageWait();

    /** Live streams one account may hold open on one instance; the next upgrade is refused with 429. */
    @WithDefault("8")
    int streamsPerAccount();

    /** Stream upgrades one client address may make (per instance). */
    UpgradeLimit upgradesPerAddress();

    /** Stream opens reading PostgreSQL at once on this instance (each holds a pool connection while it reads). */
    @WithDefault("8")
    int replays();

    /** Stream opens waiting for their turn; beyond this, upgrades are refused with 503 and Retry-After. */
    @WithDefault("512")
    int replayQueue();

    /** How long a stream ticket (POST /api/stream/tickets) can be redeemed. */
    @WithDefault("30s")
    Duration ticketLifetime();

    interface UpgradeLimit extends RateLimit {
        @Override
        @WithDefault("20")
        int requests();

        @Override
        @WithDefault("1s")
        Duration per();
    }

    /** Kernel send buffer per connection in bytes (0: the OS auto-tunes it, up to 4 MiB per socket on Linux). */
    @WithDefault("65536")
    int socketSendBuffer();

    /** A stream that answered no ping for this long is closed. */
    @WithDefault("75s")
    Duration deadAfter();
}
