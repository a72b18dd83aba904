package dev.flock.live;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One open stream: its account, what it follows as of its position in the log ({@link FollowBook}), the position it
 * started live from, and a bounded queue of frames waiting to be written. Until the replay is done the stream is not
 * in the interest index, so nothing is queued; it enters the index at a known position of the log, and from then on
 * every live frame at or after its start is queued, in log order. Frames are written one at a time, in order.
 */
final class StreamSession {

    /** Why a stream was closed: a WebSocket close code and its reason. */
    record Close(int code, String reason) {
    }

    static final Close TOO_SLOW = new Close(1013, "Too far behind; reconnect with your last cursor");
    static final Close GOING_AWAY = new Close(1001, "Instance shutting down; reconnect with your last cursor");
    static final Close TOKEN_EXPIRED = new Close(1008, "Token expired");
    static final Close SIGNED_OUT = new Close(1008, "Signed out");
    static final Close WRITE_FAILED = new Close(1011, "Write failed; reconnect with your last cursor");

    interface Writer {
        void written(String frame, LiveTweet tweet);

        void dropped(StreamSession session);
    }

    record Queued(String frame, LiveTweet tweet) {
    }

    final StreamSink sink;
    final StreamFormat format;
    final long accountId;
    /** The server-side session of the token the stream was opened with (signing it out closes the stream). */
    final String tokenSession;
    private final int maxFrames;
    private final int maxBytes;
    private final Writer writer;

    // Set at registration and then read and changed only under LiveLog's lock.
    FollowBook follows;
    private long[] start;
    private boolean startPassed;

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;
    private boolean closed;
    private boolean registered;
    volatile long lastPongNanos = System.nanoTime();
    private int droppedOnClose;

    StreamSession(StreamSink sink, StreamFormat format, long accountId, String tokenSession, int maxFrames, int maxBytes, Writer writer) {
        this.sink = sink;
        this.format = format;
        this.accountId = accountId;
        this.tokenSession = tokenSession;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.writer = writer;
    }

    /**
     * Called under LiveLog's lock when the stream enters the index: from {@code start} on, live frames come from the
     * fan-out; {@code first} (the rest of the replay and caught-up) goes out before any of them. Answers false if the
     * stream closed meanwhile (then it must not be indexed).
     */
    synchronized boolean begin(FollowBook follows, long[] start, List<Queued> first) {
        if (closed) {
            return false;
        }
        this.follows = follows;
        this.start = start;
        this.registered = true;
        first.forEach(q -> {
            queue.addLast(q);
            queuedBytes += q.frame().length();
        });
        return true;
    }

    /** Starts writing what {@link #begin} queued. */
    void flush() {
        synchronized (this) {
            if (writing || closed) {
                return;
            }
            writing = true;
        }
        writeNext();
    }

    synchronized boolean isRegistered() {
        return registered;
    }

    /** Whether a live record at this position is new to the stream (not before where it started live). */
    boolean wants(int partition, long offset) {
        return offset >= start[partition];
    }

    /**
     * The cursor a live frame carries: the fan-out's position {@code at}, unless this stream started ahead of it in
     * some partition (its client came with a cursor from an instance further along), then the larger of the two.
     * Answers null when {@code at} serves as it is (the common case: the frame text is shared by every stream).
     */
    long[] cursorFor(long[] at) {
        if (startPassed) {
            return null;
        }
        long[] merged = null;
        for (int p = 0; p < at.length; p++) {
            if (start[p] > at[p]) {
                if (merged == null) {
                    merged = at.clone();
                }
                merged[p] = start[p];
            }
        }
        if (merged == null) {
            startPassed = true;
        }
        return merged;
    }

    /** A live frame: queued, and written at once if nothing is being written. */
    void offer(String frame, LiveTweet tweet) {
        boolean tooSlow;
        synchronized (this) {
            if (closed) {
                return;
            }
            tooSlow = queue.size() >= maxFrames || queuedBytes + frame.length() > maxBytes;
            if (tooSlow) {
                closed = true;
                droppedOnClose = queue.size() + 1;
                queue.clear();
                queuedBytes = 0;
            } else {
                queue.addLast(new Queued(frame, tweet));
                queuedBytes += frame.length();
                if (writing) {
                    return;
                }
                writing = true;
            }
        }
        if (tooSlow) {
            writer.dropped(this);
            sink.close(TOO_SLOW.code(), TOO_SLOW.reason());
            return;
        }
        writeNext();
    }

    private void writeNext() {
        Queued next;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null || closed) {
                writing = false;
                return;
            }
            queuedBytes -= next.frame().length();
        }
        sink.send(next.frame()).subscribe().with(
                ok -> {
                    writer.written(next.frame(), next.tweet());
                    writeNext();
                },
                // A frame that cannot be written leaves a gap: end the stream so the client resumes with its cursor.
                failure -> close(WRITE_FAILED));
    }

    /** Closes the stream (a null reason: the connection is already closed). Answers whether it was registered. */
    boolean close(Close reason) {
        boolean wasRegistered;
        synchronized (this) {
            wasRegistered = registered;
            if (closed && reason != null) {
                return wasRegistered;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        if (reason != null && sink.isOpen()) {
            sink.close(reason.code(), reason.reason());
        }
        return wasRegistered;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Frames thrown away when the stream was closed for falling behind. */
    synchronized int droppedOnClose() {
        return droppedOnClose;
    }
}
