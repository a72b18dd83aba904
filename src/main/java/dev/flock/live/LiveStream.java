package dev.flock.live;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;

/**
 * {@code /api/stream}: a caller's home timeline, pushed. Authentication and the {@code cursor} parameter are checked
 * at the HTTP upgrade ({@link StreamUpgradeCheck}); clients send nothing but pings.
 */
@WebSocket(path = "/api/stream")
public class LiveStream {

    private static final CloseReason CLIENTS_SEND_NOTHING = new CloseReason(1008, "Clients send nothing but pings");
    private static final CloseReason TOO_BIG = new CloseReason(1009, "Frames from clients are limited to 4 KiB");

    @Inject
    LiveStreams streams;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        return streams.open(connection);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        streams.closed(connection);
    }

    @OnTextMessage
    public Uni<Void> text(WebSocketConnection connection, String message) {
        return connection.close(CLIENTS_SEND_NOTHING);
    }

    @OnBinaryMessage
    public Uni<Void> binary(WebSocketConnection connection, Buffer message) {
        return connection.close(CLIENTS_SEND_NOTHING);
    }

    /** An inbound frame over 4 KiB fails in the codec; tell the client why (1009) instead of a bare 1011. */
    @OnError
    public Uni<Void> error(WebSocketConnection connection, Throwable failure) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT);
        boolean tooBig = message.contains("size") || message.contains("length") || message.contains("too big") || message.contains("exceed");
        return connection.close(tooBig ? TOO_BIG : CloseReason.INTERNAL_SERVER_ERROR);
    }

    @OnPongMessage
    public void pong(WebSocketConnection connection, Buffer data) {
        streams.pong(connection);
    }
}
