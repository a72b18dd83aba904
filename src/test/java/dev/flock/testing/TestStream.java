package dev.flock.testing;

import io.restassured.RestAssured;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * A real WebSocket client of /api/stream, recording every frame and the close code. Every frame is checked against the
 * AsyncAPI document the instance serves; a frame that breaks it fails the test at its next look at the stream.
 */
public final class TestStream implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();

    private final WebSocket socket;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final List<String> contractViolations = new CopyOnWriteArrayList<>();
    /** When each tweet frame arrived (System.nanoTime), by tweet id: what POST-to-frame latencies are measured to. */
    private final Map<String, Long> tweetArrivals = new ConcurrentHashMap<>();
    private volatile Integer closeCode;

    private TestStream(WebSocket socket, AsyncApiContract contract) {
        this.socket = socket;
        socket.textMessageHandler(text -> {
            long arrived = System.nanoTime();
            contractViolations.addAll(contract.check(text));
            JsonObject frame = new JsonObject(text);
            frames.add(frame);
            if ("tweet".equals(frame.getString("type"))) {
                tweetArrivals.putIfAbsent(frame.getJsonObject("tweet").getString("id"), arrived);
            }
        });
        socket.closeHandler(v -> closeCode = socket.closeStatusCode() == null ? 1006 : (int) socket.closeStatusCode());
    }

    public static TestStream open(String token, String cursor) {
        return open(RestAssured.port, token, cursor, o -> { }, false);
    }

    public static TestStream open(int port, String token, String cursor) {
        return open(port, token, cursor, o -> { }, false);
    }

    /** Connects with the token in the Authorization header (if not null) and {@code cursor} (if not null). */
    public static TestStream open(int port, String token, String cursor, Consumer<WebSocketConnectOptions> customise, boolean paused) {
        WebSocketClient client = VERTX.createWebSocketClient(paused ? new WebSocketClientOptions().setReceiveBufferSize(4096) : new WebSocketClientOptions());
        // The handlers are in place before the upgrade starts, so the first frame (often in the same packet as the
        // 101 answer) cannot slip past them.
        ClientWebSocket socket = client.webSocket();
        TestStream stream = new TestStream(socket, AsyncApiContract.of(port));
        return completed(socket.connect(options(port, token, cursor, customise))
                .map(ws -> {
                    if (paused) {
                        ws.pause();
                    }
                    return stream;
                })).join();
    }

    /** The HTTP status the upgrade was refused with, or 101 if it was accepted. */
    public static int upgradeStatus(String token, String query, Consumer<WebSocketConnectOptions> customise) {
        try {
            WebSocketConnectOptions options = options(RestAssured.port, token, null, customise);
            options.setURI("/api/stream" + query);
            WebSocket ws = completed(VERTX.createWebSocketClient().connect(options)).join();
            ws.close();
            return 101;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw new IllegalStateException(e);
        }
    }

    private static WebSocketConnectOptions options(int port, String token, String cursor, Consumer<WebSocketConnectOptions> customise) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("localhost").setPort(port)
                .setURI("/api/stream" + (cursor == null ? "" : "?cursor=" + cursor));
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        // Each test stream comes from an address of its own (Flock believes X-Forwarded-For from loopback in tests), so
        // the per-address upgrade limit stays out of the way unless a test sets the header itself.
        options.addHeader("X-Forwarded-For", TestApi.randomAddress());
        customise.accept(options);
        return options;
    }

    private static <T> CompletableFuture<T> completed(Future<T> future) {
        CompletableFuture<T> result = future.toCompletionStage().toCompletableFuture();
        try {
            result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e.getCause() != null ? e.getCause() : e);
        }
        return result;
    }

    public List<JsonObject> frames() {
        if (!contractViolations.isEmpty()) {
            throw new AssertionError("Frames break the served AsyncAPI document:\n  " + String.join("\n  ", contractViolations));
        }
        return frames;
    }

    /** Ids of the tweet frames received, in arrival order. */
    public List<String> tweetIds() {
        return frames().stream().filter(f -> "tweet".equals(f.getString("type")))
                .map(f -> f.getJsonObject("tweet").getString("id")).toList();
    }

    /** The cursor of the last frame that carried one (what a client stores to resume), or null. */
    public String lastCursor() {
        List<JsonObject> frames = frames();
        for (int i = frames.size() - 1; i >= 0; i--) {
            String cursor = frames.get(i).getString("cursor");
            if (cursor != null) {
                return cursor;
            }
        }
        return null;
    }

    public List<String> deletedIds() {
        return frames().stream().filter(f -> "delete".equals(f.getString("type"))).map(f -> f.getString("id")).toList();
    }

    public JsonObject awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (closeCode != null && frames().stream().noneMatch(f -> "caught-up".equals(f.getString("type")))) {
                throw new IllegalStateException("stream closed with " + closeCode + " before caught-up; frames " + frames);
            }
            return frames().stream().anyMatch(f -> "caught-up".equals(f.getString("type")));
        });
        return frames().stream().filter(f -> "caught-up".equals(f.getString("type"))).findFirst().orElseThrow();
    }

    /** When the tweet's frame arrived (System.nanoTime), or null if it has not. */
    public Long arrivedAt(String tweetId) {
        return tweetArrivals.get(tweetId);
    }

    public void awaitTweet(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> tweetIds().contains(id));
    }

    public Integer awaitClose() {
        await().atMost(Duration.ofSeconds(30)).until(() -> closeCode != null);
        frames();
        return closeCode;
    }

    public Integer closeCode() {
        return closeCode;
    }

    public WebSocket socket() {
        return socket;
    }

    @Override
    public void close() {
        if (closeCode == null) {
            socket.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> closeCode != null);
        }
        frames();
    }
}
