package dev.flock.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** WebSocket clients, one per source address, and the connect call every scenario uses. */
final class Streams {

    final List<WebSocketClient> clients = new ArrayList<>();
    final String host;
    final int port;

    Streams(Vertx vertx, String host, int port, List<String> localAddresses, int maxConnections) {
        this.host = host;
        this.port = port;
        int per = Math.max(64, maxConnections / Math.max(1, localAddresses.size()) + 64);
        for (String local : localAddresses) {
            WebSocketClientOptions options = new WebSocketClientOptions().setMaxConnections(per)
                    .setConnectTimeout(30_000).setMaxFrameSize(65536).setMaxMessageSize(1 << 20);
            if (local != null && !local.isBlank()) {
                options.setLocalAddress(local);
            }
            clients.add(vertx.createWebSocketClient(options));
        }
    }

    /**
     * Opens a stream; {@code onText} gets (message, arrival nanoTime) on the connection's event loop. The handlers are
     * set before the handshake, so no frame is missed.
     */
    Future<WebSocket> connect(int index, String uri, String token, BiConsumer<String, Long> onText) {
        ClientWebSocket ws = clients.get(index % clients.size()).webSocket();
        ws.textMessageHandler(text -> onText.accept(text, System.nanoTime()));
        ws.exceptionHandler(e -> { });
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri)
                .setTimeout(30_000);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        // Flock believes X-Forwarded-For from loopback in dev: each stream comes from an address of its own, so the
        // per-address upgrade limit (a connect-storm guard) does not throttle the harness.
        options.putHeader("X-Forwarded-For", "10." + ((index >> 16) & 0xff) + "." + ((index >> 8) & 0xff) + "." + (index & 0xff));
        return ws.connect(options);
    }

    /** Closes every given stream and waits a little for the closes to go out. */
    static void closeAll(List<WebSocket> sockets) {
        List<Future<Void>> closes = new ArrayList<>();
        for (WebSocket ws : sockets) {
            if (ws != null) {
                closes.add(ws.close().otherwiseEmpty());
            }
        }
        try {
            Client.await(Future.join(closes), 30);
        } catch (RuntimeException ignored) {
            // a close that failed is closed anyway
        }
    }

    /** Approximate bytes of one handshake both ways: the GET with its headers and the 101 answer. */
    static long handshakeBytes(String uri, String token) {
        return 200 + uri.length() + (token == null ? 0 : token.length() + 24) + 130;
    }

    /** Bytes of a server-to-client text frame on the wire (unmasked header + payload). */
    static long frameBytes(int payloadBytes) {
        return payloadBytes + (payloadBytes < 126 ? 2 : payloadBytes < 65536 ? 4 : 10);
    }
}
