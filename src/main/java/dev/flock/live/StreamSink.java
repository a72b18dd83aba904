package dev.flock.live;

import io.smallrye.mutiny.Uni;

/**
 * Where a stream's frames go: a WebSocket of Flock's own stream, or of another protocol served from the same fan-out
 * (the Mastodon streaming API over WebSocket or server-sent events). Frames are written one at a time, in order.
 */
public interface StreamSink {

    /** Unique among this instance's open sinks. */
    String id();

    /** Completes when the frame is written; fails if it cannot be (the stream then ends, the client resumes). */
    Uni<Void> send(String frame);

    /** Ends the connection with a reason (a WebSocket close code; a server-sent event stream just ends). */
    void close(int code, String reason);

    boolean isOpen();
}
