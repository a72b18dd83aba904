package dev.flock.live;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open stream: its account, the authors it is interested in, and a bounded queue of frames waiting to be
 * written. While the stream replays what it missed, live frames wait in the queue (paused); once the replay is
 * written they follow, minus any the replay already carried. Frames are written one at a time, in order.
 */
final class StreamSession {

    static final CloseReason TOO_SLOW = new CloseReason(1013, "Too far behind; reconnect with since");
    static final CloseReason GOING_AWAY = new CloseReason(1001, "Instance shutting down; reconnect with since");
    static final CloseReason TOKEN_EXPIRED = new CloseReason(1008, "Token expired");

    interface Writer {
        void written(String frame, LiveTweet tweet);

        void dropped(StreamSession session);
    }

    private record Queued(String frame, LiveTweet tweet) {
    }

    final WebSocketConnection connection;
    final long accountId;
    final Set<Long> interests = ConcurrentHashMap.newKeySet();
    private final int maxFrames;
    private final int maxBytes;
    private final Writer writer;

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final long[] recentIds = new long[128];
    private int recentNext;
    private long queuedBytes;
    private boolean paused = true;
    private boolean writing;
    private boolean closed;
    volatile long lastPongNanos = System.nanoTime();
    private int droppedOnClose;

    StreamSession(WebSocketConnection connection, long accountId, int maxFrames, int maxBytes, Writer writer) {
        this.connection = connection;
        this.accountId = accountId;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.writer = writer;
    }

    /** A live frame: queued, and written at once unless the replay is still running. */
    void offer(String frame, LiveTweet tweet) {
        synchronized (this) {
            if (closed) {
                return;
            }
            // A consumer that rejoins its group after a broker restart may deliver a few records again; this stream
            // must not show them twice. The last ids it took are remembered in a small ring.
            if (tweet != null) {
                for (long seen : recentIds) {
                    if (seen == tweet.id()) {
                        return;
                    }
                }
                recentIds[recentNext] = tweet.id();
                recentNext = (recentNext + 1) % recentIds.length;
            }
            if (queue.size() >= maxFrames || queuedBytes + frame.length() > maxBytes) {
                closed = true;
                droppedOnClose = queue.size() + 1;
                queue.clear();
                queuedBytes = 0;
            } else {
                queue.addLast(new Queued(frame, tweet));
                queuedBytes += frame.length();
                if (paused || writing) {
                    return;
                }
                writing = true;
            }
        }
        if (closed) {
            writer.dropped(this);
            connection.close(TOO_SLOW).subscribe().with(x -> { }, e -> { });
            return;
        }
        writeNext();
    }

    /**
     * Ends the replay: drops queued tweets that the replay carried, adds caught-up after what is queued (its lastId
     * the newest tweet sent before it), and starts writing. Called after every replayed frame was written.
     */
    void resume(java.util.NavigableSet<Long> replayedIds, Long replayedUpTo) {
        synchronized (this) {
            queue.removeIf(q -> q.tweet() != null && replayedIds.contains(q.tweet().id()));
            // The store consumer can be ahead of this instance's live consumer: a tweet the replay read from PostgreSQL
            // may still arrive live. The newest replayed ids join the ring that drops repeats.
            int remembered = 0;
            for (java.util.Iterator<Long> it = replayedIds.descendingIterator(); it.hasNext() && remembered < recentIds.length; remembered++) {
                recentIds[recentNext] = it.next();
                recentNext = (recentNext + 1) % recentIds.length;
            }
            queuedBytes = queue.stream().mapToLong(q -> q.frame().length()).sum();
            Long lastId = replayedUpTo;
            for (Queued q : queue) {
                if (q.tweet() != null && (lastId == null || q.tweet().id() > lastId)) {
                    lastId = q.tweet().id();
                }
            }
            String caughtUp = Frames.caughtUp(lastId);
            queue.addLast(new Queued(caughtUp, null));
            queuedBytes += caughtUp.length();
            paused = false;
            if (writing || closed) {
                return;
            }
            writing = true;
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
        connection.sendText(next.frame()).subscribe().with(
                ok -> {
                    writer.written(next.frame(), next.tweet());
                    writeNext();
                },
                // A frame that cannot be written leaves a gap: end the stream so the client resumes with since.
                failure -> close(new CloseReason(1011, "Write failed; reconnect with since")));
    }

    void close(CloseReason reason) {
        synchronized (this) {
            if (closed && reason != null) {
                return;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        if (reason != null && connection.isOpen()) {
            connection.close(reason).subscribe().with(x -> { }, e -> { });
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Frames thrown away when the stream was closed for falling behind. */
    synchronized int droppedOnClose() {
        return droppedOnClose;
    }
}
