package dev.flock.mastodon.streaming;

import io.restassured.RestAssured;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** A real WebSocket client of Mastodon's streaming API (/api/v1/streaming), recording every message and the close. */
final class MastodonTestStream implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();

    private final WebSocket socket;
    private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    private volatile Integer closeCode;

    private MastodonTestStream(ClientWebSocket socket) {
        this.socket = socket;
        socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
        socket.closeHandler(v -> closeCode = socket.closeStatusCode() == null ? 1006 : (int) socket.closeStatusCode());
    }

    /** Connects to /api/v1/streaming with this query (e.g. "?stream=user&access_token=..."), customised. */
    static MastodonTestStream open(String query, Consumer<WebSocketConnectOptions> customise) {
        ClientWebSocket socket = VERTX.createWebSocketClient().webSocket();
        // Handlers before the upgrade, so that no message slips past them.
        MastodonTestStream stream = new MastodonTestStream(socket);
        join(socket.connect(options(query, customise)));
        return stream;
    }

    /** Connects with the token in the Authorization header. */
    static MastodonTestStream withHeader(String token, String query) {
        return open(query, o -> o.addHeader("Authorization", "Bearer " + token));
    }

    /** The refusal of an upgrade: its status, headers and body. */
    record Refusal(int status, MultiMap headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    static Refusal refusal(String query, Consumer<WebSocketConnectOptions> customise) {
        try {
            WebSocket ws = join(VERTX.createWebSocketClient().connect(options(query, customise)));
            ws.close();
            throw new AssertionError("the upgrade was accepted");
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UpgradeRejectedException rejected) {
                Buffer body = rejected.getBody();
                return new Refusal(rejected.getStatus(), rejected.getHeaders(), body == null ? "" : body.toString());
            }
            throw e;
        }
    }

    private static WebSocketConnectOptions options(String query, Consumer<WebSocketConnectOptions> customise) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(RestAssured.port)
                .setURI("/api/v1/streaming" + query);
        customise.accept(options);
        return options;
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
        }
    }

    void send(JsonObject message) {
        join(socket.writeTextMessage(message.encode()));
    }

    void subscribe(String stream) {
        send(new JsonObject().put("type", "subscribe").put("stream", stream));
    }

    WebSocket socket() {
        return socket;
    }

    String subProtocol() {
        return socket.subProtocol();
    }

    List<JsonObject> messages() {
        return messages;
    }

    /** Events of this kind (update, delete), in arrival order. */
    List<JsonObject> events(String event) {
        return messages.stream().filter(m -> event.equals(m.getString("event"))).toList();
    }

    /** The Status of each update event. */
    List<JsonObject> updates() {
        return events("update").stream().map(e -> new JsonObject(e.getString("payload"))).toList();
    }

    List<String> updatedIds() {
        return updates().stream().map(s -> s.getString("id")).toList();
    }

    List<String> deletedIds() {
        return events("delete").stream().map(e -> e.getString("payload")).toList();
    }

    JsonObject awaitMessage(Predicate<JsonObject> which) {
        await().atMost(Duration.ofSeconds(20)).until(() -> messages.stream().anyMatch(which));
        return messages.stream().filter(which).findFirst().orElseThrow();
    }

    JsonObject awaitUpdate(String statusId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> updatedIds().contains(statusId));
        return updates().stream().filter(s -> statusId.equals(s.getString("id"))).findFirst().orElseThrow();
    }

    void awaitDelete(String statusId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> deletedIds().contains(statusId));
    }

    /** An error message ({"error": ...}) with this text. */
    JsonObject awaitError(String error) {
        return awaitMessage(m -> error.equals(m.getString("error")));
    }

    Optional<Integer> closeCode() {
        return Optional.ofNullable(closeCode);
    }

    Integer awaitClose() {
        await().atMost(Duration.ofSeconds(30)).until(() -> closeCode != null);
        return closeCode;
    }

    @Override
    public void close() {
        if (closeCode == null) {
            socket.close();
        }
    }
}
