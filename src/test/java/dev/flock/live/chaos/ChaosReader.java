package dev.flock.live.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * One reader of the chaos test: connects to a random live instance with its last cursor, stays 100-800 ms, hangs up,
 * and again, recording every frame of every connection. It does exactly what the contract tells a client to do.
 */
final class ChaosReader {

    final long account;
    final String token;
    private final Vertx vertx;
    private final WebSocketClient client;
    private final Random random;
    private final IntSupplier instancePort;

    private final List<String> tweets = new ArrayList<>();
    private final List<String> deletes = new ArrayList<>();
    private final Set<String> firstPage = new HashSet<>();
    private volatile String cursor;
    private volatile boolean cycling;
    private volatile boolean caughtUp;
    private volatile long startedAt = Long.MAX_VALUE;
    private int connections;
    private int resets;
    private int refused;
    private int refusedInARow;
    private final java.util.Map<String, Integer> refusedBecause = new java.util.TreeMap<>();

    ChaosReader(long account, String token, Vertx vertx, WebSocketClient client, long seed, IntSupplier instancePort) {
        this.account = account;
        this.token = token;
        this.vertx = vertx;
        this.client = client;
        this.random = new Random(seed);
        this.instancePort = instancePort;
    }

    /** Starts from a first page read over REST: its tweets count as received, the stream continues from its cursor. */
    synchronized void startFromPage(List<String> pageIds, String streamCursor, long readAt) {
        firstPage.addAll(pageIds);
        cursor = streamCursor;
        startedAt = readAt;
    }

    /** Starts without a cursor (live from now on); the first caught-up marks the start. */
    void start() {
        cycling = true;
        connect(false);
    }

    /** Stops hanging up: the current or next connection stays open. */
    void settle() {
        cycling = false;
    }

    boolean caughtUp() {
        return caughtUp;
    }

    /** Has been caught up at least once (it hangs up every 100-800 ms, so "caught up now" says little while cycling). */
    boolean started() {
        return startedAt != Long.MAX_VALUE;
    }

    synchronized ChaosOracle.Received received() {
        return new ChaosOracle.Received(account, List.copyOf(tweets), List.copyOf(deletes), Set.copyOf(firstPage), startedAt, resets);
    }

    synchronized int connections() {
        return connections;
    }

    synchronized java.util.Map<String, Integer> refusedBecause() {
        return new java.util.TreeMap<>(refusedBecause);
    }

    synchronized int refused() {
        return refused;
    }

    private void connect(boolean settled) {
        int port = instancePort.getAsInt();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port)
                .setURI("/api/stream" + (cursor == null ? "" : "?cursor=" + cursor))
                .addHeader("Authorization", "Bearer " + token)
                // A reader is one client with an address of its own (the per-address upgrade limit is per client).
                .addHeader("X-Forwarded-For", "203.0." + ((account >> 8) & 0xff) + "." + (account & 0xff));
        caughtUp = false;
        client.connect(options).onComplete(result -> {
            if (result.failed()) {
                long delay;
                synchronized (this) {
                    refused++;
                    refusedInARow++;
                    // As the contract asks of clients: Retry-After when given, else backing off from 50 ms to 1 s.
                    delay = Math.min(1000, 50L << Math.min(refusedInARow - 1, 5));
                    String reason = result.cause().getClass().getSimpleName();
                    if (result.cause() instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
                        reason = String.valueOf(rejected.getStatus());
                        String retryAfter = rejected.getHeaders() == null ? null : rejected.getHeaders().get("Retry-After");
                        if (retryAfter != null && retryAfter.matches("\\d+")) {
                            delay = Math.max(delay, Long.parseLong(retryAfter) * 1000);
                        }
                    }
                    refusedBecause.merge(reason, 1, Integer::sum);
                }
                vertx.setTimer(delay, t -> connect(settled));
                return;
            }
            var ws = result.result();
            synchronized (this) {
                connections++;
                refusedInARow = 0;
            }
            ws.textMessageHandler(text -> frame(new JsonObject(text)));
            ws.closeHandler(v -> vertx.setTimer(1 + random.nextInt(50), t -> connect(!cycling)));
            if (cycling) {
                vertx.setTimer(100 + random.nextInt(700), t -> {
                    if (cycling) {
                        ws.close();
                    }
                });
            }
        });
    }

    private synchronized void frame(JsonObject frame) {
        String type = frame.getString("type");
        switch (type) {
            case "tweet" -> tweets.add(frame.getJsonObject("tweet").getString("id"));
            case "delete" -> deletes.add(frame.getString("id"));
            case "caught-up" -> {
                caughtUp = true;
                if (startedAt == Long.MAX_VALUE) {
                    startedAt = System.nanoTime();
                }
            }
            case "reset" -> resets++;
            default -> throw new IllegalStateException("unknown frame " + frame);
        }
        if (frame.getString("cursor") != null) {
            cursor = frame.getString("cursor");
        }
    }
}
