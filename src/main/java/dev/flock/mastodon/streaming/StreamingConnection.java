package dev.flock.mastodon.streaming;

import dev.flock.live.LiveStreams;
import dev.flock.live.StreamSink;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * One WebSocket of /api/v1/streaming: who it is for, the format of its origin, and the live stream behind its
 * {@code user} subscription (if any). A client may subscribe and unsubscribe on the same connection; each
 * subscription is a stream of its own in {@link LiveStreams}, so a late frame of an ended one is never mistaken for
 * the next.
 */
final class StreamingConnection {

    final StreamingCaller caller;
    final MastodonStreamFormat format;
    /** The subscription the URL asked for ({@code stream=user}), or null. */
    final Subscription initial;

    private WebSocketConnection socket;
    private UserStream user;
    private int subscriptions;

    /** A stream and its parameters, as a subscribe message or the query names them. */
    record Subscription(String stream, String tag, String list) {
    }

    StreamingConnection(StreamingCaller caller, MastodonStreamFormat format, Subscription initial) {
        this.caller = caller;
        this.format = format;
        this.initial = initial;
    }

    synchronized void attach(WebSocketConnection socket) {
        this.socket = socket;
    }

    /** Opens the user stream unless it is open already (as Mastodon, a second subscribe changes nothing). */
    Uni<Void> subscribeUser(LiveStreams streams) {
        UserStream stream;
        synchronized (this) {
            if (user != null) {
                return Uni.createFrom().voidItem();
            }
            stream = new UserStream(socket, socket.id() + "/" + ++subscriptions);
            user = stream;
        }
        return streams.open(stream, format, caller.opening());
    }

    void unsubscribeUser(LiveStreams streams) {
        UserStream ended;
        synchronized (this) {
            ended = user;
            user = null;
        }
        if (ended != null) {
            streams.closed(ended.id);
        }
    }

    /** A pong: the client is alive. */
    void alive(LiveStreams streams) {
        UserStream current;
        synchronized (this) {
            current = user;
        }
        if (current != null) {
            streams.alive(current.id);
        }
    }

    synchronized boolean isCurrent(UserStream stream) {
        return user == stream;
    }

    /** The live stream of a {@code user} subscription: its frames go to the WebSocket as they are. */
    private final class UserStream implements StreamSink {

        private final WebSocketConnection socket;
        private final String id;

        UserStream(WebSocketConnection socket, String id) {
            this.socket = socket;
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Uni<Void> send(String frame) {
            return socket.sendText(frame);
        }

        /** The stream cannot go on (signed out, expired, too slow, draining): the connection ends, as Mastodon's. */
        @Override
        public void close(int code, String reason) {
            socket.close(new CloseReason(code, reason)).subscribe().with(x -> { }, e -> { });
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen() && isCurrent(this);
        }
    }
}
