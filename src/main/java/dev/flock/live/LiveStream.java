package dev.flock.live;

import dev.flock.timeline.StreamCursor;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;

/**
 * {@code /api/stream}: a caller's home timeline, pushed. Admission (token or ticket, cursor, caps) is decided before
 * the upgrade ({@link StreamAdmission}, {@link StreamUpgradeCheck}); clients send nothing but pings.
 */
@WebSocket(path = "/api/stream")
public class LiveStream {

    static final UserData.TypedKey<Long> ACCOUNT = UserData.TypedKey.forLong("flock.account");
    static final UserData.TypedKey<Long> EXPIRES = UserData.TypedKey.forLong("flock.expires");
    static final UserData.TypedKey<String> SESSION = UserData.TypedKey.forString("flock.session");
    static final UserData.TypedKey<String> CURSOR = UserData.TypedKey.forString("flock.cursor");
    private static final UserData.TypedKey<Boolean> OPENING = UserData.TypedKey.forBoolean("flock.opening");

    private static final CloseReason CLIENTS_SEND_NOTHING = new CloseReason(1008, "Clients send nothing but pings");
    private static final CloseReason TOO_BIG = new CloseReason(1009, "Frames from clients are limited to 4 KiB");

    @Inject
    LiveStreams streams;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        long account = connection.userData().get(ACCOUNT);
        connection.userData().put(OPENING, true);
        String cursor = connection.userData().get(CURSOR);
        return streams.open(new Sink(connection), FlockFrames.FORMAT, new LiveStreams.Opening(account,
                        connection.userData().get(SESSION), connection.userData().get(EXPIRES), cursor == null ? null : StreamCursor.parse(cursor)))
                // A connection that closes while its open is still running gets no @OnClose callback: end it here.
                .invoke(() -> {
                    if (!connection.isOpen()) {
                        close(connection);
                    }
                });
    }

    /**
     * The connection ended; idempotent, since it is reached from @OnClose and from the end of the open. A connection
     * closed right after its upgrade may get @OnClose without ever getting @OnOpen: its reservation is given back.
     */
    @OnClose
    public void close(WebSocketConnection connection) {
        if (!streams.closed(connection.id()) && connection.userData().get(OPENING) == null) {
            streams.abandoned(connection.userData().get(ACCOUNT));
        }
    }

    @OnTextMessage
    public Uni<Void> text(WebSocketConnection connection, String message) {
        return connection.close(CLIENTS_SEND_NOTHING);
    }

    @OnBinaryMessage
    public Uni<Void> binary(WebSocketConnection connection, Buffer message) {
        return connection.close(CLIENTS_SEND_NOTHING);
    }

    /**
     * An inbound message over 4 KiB fails before any handler sees it; tell the client why (1009) instead of a bare
     * 1011. Vert.x's frame aggregator reports it as an IllegalStateException (nothing else of this endpoint raises
     * one: the handlers above answer through their Unis), Netty's frame decoder as a corrupted frame with 1009.
     */
    @OnError
    public Uni<Void> error(WebSocketConnection connection, Throwable failure) {
        return connection.close(tooBig(failure) ? TOO_BIG : CloseReason.INTERNAL_SERVER_ERROR);
    }

    private static boolean tooBig(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException || t instanceof TooLongFrameException
                    || (t instanceof CorruptedWebSocketFrameException corrupted && corrupted.closeStatus() != null
                    && corrupted.closeStatus().code() == 1009)) {
                return true;
            }
        }
        return false;
    }

    @OnPongMessage
    public void pong(WebSocketConnection connection, Buffer data) {
        streams.alive(connection.id());
    }

    /** The WebSocket as a stream's sink. */
    private record Sink(WebSocketConnection connection) implements StreamSink {

        @Override
        public String id() {
            return connection.id();
        }

        @Override
        public Uni<Void> send(String frame) {
            return connection.sendText(frame);
        }

        @Override
        public void close(int code, String reason) {
            connection.close(new CloseReason(code, reason)).subscribe().with(x -> { }, e -> { });
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }
    }
}
