package dev.flock.live;

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

    /** Replay on reconnect covers at least this many missed tweets... */
    @WithDefault("1000")
    int replayMaxTweets();

    /** ...or everything of this age; more missed than both and the stream answers "reset". */
    @WithDefault("24h")
    Duration replayMaxAge();

    /** Recently consumed tweets kept in memory to cover the store consumer's lag during a replay. */
    @WithDefault("10000")
    int recentTweets();

    /** Kernel send buffer per connection in bytes (0: the OS auto-tunes it, up to 4 MiB per socket on Linux). */
    @WithDefault("65536")
    int socketSendBuffer();

    /** A stream that answered no ping for this long is closed. */
    @WithDefault("75s")
    Duration deadAfter();
}
