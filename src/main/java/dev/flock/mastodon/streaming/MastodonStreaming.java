package dev.flock.mastodon.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.live.LiveStreams;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
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
 * {@code /api/v1/streaming}: Mastodon's streaming WebSocket. Streams are named in the query ({@code stream=user}) or
 * subscribed to and unsubscribed from with {"type": "subscribe" | "unsubscribe", "stream": ...} messages. The
 * {@code user} stream is the caller's home timeline, from the same fan-out as /api/stream; Mastodon's other streams
 * are accepted and stay silent (one client connection carries every subscription, and an error event would end them
 * all in masto.js); unknown streams and missing parameters are answered with Mastodon's error messages. The server
 * pings every {@code quarkus.websockets-next.server.auto-ping-interval} and closes a stream whose client stopped
 * answering (flock.live.dead-after).
 */
@WebSocket(path = "/api/v1/streaming")
public class MastodonStreaming {

    static final UserData.TypedKey<StreamingConnection> CONNECTION = new UserData.TypedKey<>("flock.mastodon.streaming");

    private static final CloseReason NO_BINARY = new CloseReason(1003, "The streaming API does not support binary messages");

    @Inject
    LiveStreams streams;

    @Inject
    ObjectMapper json;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        StreamingConnection streaming = connection.userData().get(CONNECTION);
        streaming.attach(connection);
        return streaming.initial == null ? Uni.createFrom().voidItem() : subscribe(connection, streaming, streaming.initial);
    }

    /** Subscribe and unsubscribe messages; anything else (even unreadable JSON) is ignored, as by Mastodon. */
    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            return Uni.createFrom().voidItem();
        }
        if (message == null || !message.isObject()) {
            return Uni.createFrom().voidItem();
        }
        StreamingConnection streaming = connection.userData().get(CONNECTION);
        StreamingConnection.Subscription subscription = new StreamingConnection.Subscription(
                first(message.get("stream")), first(message.get("tag")), first(message.get("list")));
        return switch (message.path("type").asText()) {
            case "subscribe" -> subscribe(connection, streaming, subscription);
            case "unsubscribe" -> unsubscribe(connection, streaming, subscription);
            default -> Uni.createFrom().voidItem();
        };
    }

    @OnBinaryMessage
    public Uni<Void> binary(WebSocketConnection connection, Buffer data) {
        return connection.close(NO_BINARY);
    }

    @OnPongMessage
    public void pong(WebSocketConnection connection, Buffer data) {
        connection.userData().get(CONNECTION).alive(streams);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        connection.userData().get(CONNECTION).unsubscribeUser(streams);
    }

    /** In Mastodon's order: the token's scopes, then the stream's name, then its parameters. */
    private Uni<Void> subscribe(WebSocketConnection connection, StreamingConnection streaming, StreamingConnection.Subscription subscription) {
        Channel channel = Channel.named(subscription.stream());
        // An unknown stream is checked as a private one: a token that may not read the timeline learns nothing more.
        if (!streaming.caller.mayRead(channel == null ? Channel.USER : channel)) {
            return refuse(connection, StreamingError.outsideScopes());
        }
        if (channel == null) {
            return refuse(connection, new StreamingError(400, "Unknown stream type"));
        }
        StreamingError invalid = invalidParameters(channel, subscription);
        if (invalid != null) {
            return refuse(connection, invalid);
        }
        return channel == Channel.USER ? streaming.subscribeUser(streams) : Uni.createFrom().voidItem();
    }

    private Uni<Void> unsubscribe(WebSocketConnection connection, StreamingConnection streaming, StreamingConnection.Subscription subscription) {
        Channel channel = Channel.named(subscription.stream());
        if (channel == null || invalidParameters(channel, subscription) != null) {
            return connection.sendText("{\"error\":\"Error unsubscribing from channel\"}");
        }
        if (channel == Channel.USER) {
            streaming.unsubscribeUser(streams);
        }
        return Uni.createFrom().voidItem();
    }

    /** Hashtag streams need a tag, list streams a list; Flock has no lists, so none may be streamed. */
    private static StreamingError invalidParameters(Channel channel, StreamingConnection.Subscription subscription) {
        return switch (channel) {
            case HASHTAG, HASHTAG_LOCAL -> subscription.tag() == null || subscription.tag().isBlank()
                    ? new StreamingError(400, "Missing tag name parameter") : null;
            case LIST -> subscription.list() == null || subscription.list().isBlank()
                    ? new StreamingError(400, "Missing list name parameter")
                    : new StreamingError(401, "Not authorized to stream this list");
            default -> null;
        };
    }

    private static Uni<Void> refuse(WebSocketConnection connection, StreamingError error) {
        return connection.sendText(error.asEvent());
    }

    /** A string parameter, or the first of an array (as Mastodon reads {@code stream}). */
    private static String first(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            return value.isEmpty() ? null : first(value.get(0));
        }
        return value.isValueNode() ? value.asText() : null;
    }
}
