package dev.flock.mastodon.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.platform.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;

/**
 * A streaming request refused as Mastodon's streaming server refuses it: the status and {"error": message} in
 * application/json; the message also in X-Error-Message, the only part a WebSocket client gets to see.
 */
final class StreamingError extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    final int status;
    private final Duration retryAfter;

    StreamingError(int status, String message) {
        this(status, message, null);
    }

    private StreamingError(int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    static StreamingError missingToken() {
        return new StreamingError(401, "Missing access token");
    }

    static StreamingError invalidToken() {
        return new StreamingError(401, "Invalid access token");
    }

    static StreamingError outsideScopes() {
        return new StreamingError(401, "Access token does not have the required scopes");
    }

    /** Flock's cap of streams per account on an instance (Mastodon has none; its clients read the error). */
    static StreamingError tooManyStreams(int cap) {
        return new StreamingError(429, "This account has " + cap + " streams open on this instance already; close one first");
    }

    /** Flock's limit of stream opens per client address per second (shared with /api/stream). */
    static StreamingError tooManyOpens(Duration retryAfter) {
        return new StreamingError(429, "Too many streams opened from this address; try again later", retryAfter);
    }

    static StreamingError unavailable() {
        return new StreamingError(503, "This instance is shutting down; reconnect");
    }

    /** The error as a message on an open WebSocket: {"error": ..., "status": ...}. */
    String asEvent() {
        return "{\"error\":" + json(getMessage()) + ",\"status\":" + status + "}";
    }

    void send(RoutingContext context) {
        if (retryAfter != null) {
            context.response().putHeader("Retry-After", ProblemException.retryAfterSeconds(retryAfter));
        }
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Error-Message", getMessage())
                .end(json(Map.of("error", getMessage())));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
