package dev.flock.mastodon.streaming;

import dev.flock.live.LiveConfig;
import dev.flock.live.LiveStreams;
import dev.flock.live.StreamSink;
import dev.flock.mastodon.Urls;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mastodon's server-sent event streams, the fallback for networks that block WebSockets:
 * {@code GET /api/v1/streaming/user} ({@code text/event-stream}: {@code event: update} / {@code data: <Status>}),
 * fed by the same fan-out as the WebSocket, and {@code GET /api/v1/streaming/health}. As Mastodon's server, the
 * stream opens with the comment {@code :)} and sends {@code :thump} every 15 seconds (which proxies need to keep the
 * response open, and which shows the client alive while it is written). Mastodon's other streams are answered 400:
 * Flock has nothing to put in them.
 */
@ApplicationScoped
public class EventStreams {

    static final long HEARTBEAT_MILLIS = 15_000;
    private static final String PREFIX = "/api/v1/streaming/";

    @Inject
    StreamingAccess access;

    @Inject
    LiveStreams streams;

    @Inject
    LiveConfig config;

    @Inject
    MastodonStreamFormats formats;

    @Inject
    Vertx vertx;

    void install(@Observes Router router) {
        router.routeWithRegex(HttpMethod.GET, "/api/v1/streaming/.*").order(StreamingAccess.AFTER_SECURITY).handler(this::serve);
    }

    private void serve(RoutingContext context) {
        String path = context.request().path().substring(PREFIX.length());
        if (path.equals("health")) {
            context.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("OK");
            return;
        }
        Channel channel = Channel.atPath(path, isTrue(context.request().getParam("only_media")));
        if (channel == null) {
            new StreamingError(400, "Unknown channel requested").send(context);
            return;
        }
        access.caller(context).subscribe().with(caller -> {
            if (!caller.mayRead(channel)) {
                StreamingError.outsideScopes().send(context);
            } else if (channel != Channel.USER) {
                new StreamingError(400, "Flock streams only the user timeline over server-sent events").send(context);
            } else if (!streams.reserve(caller.account())) {
                StreamingError.tooManyStreams(config.streamsPerAccount()).send(context);
            } else {
                stream(context, caller);
            }
        }, failure -> StreamingAccess.refuse(context, failure));
    }

    private void stream(RoutingContext context, StreamingCaller caller) {
        MastodonStreamFormat format = formats.of(Urls.of(context.request()));
        HttpServerResponse response = context.response().setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        EventSink sink = new EventSink(response, format);
        response.closeHandler(v -> sink.ended());
        response.endHandler(v -> sink.ended());
        if (response.closed()) {
            // The client left while its token was checked.
            streams.abandoned(caller.account());
            sink.ended();
            return;
        }
        response.write(":)\n");
        sink.heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, t -> {
            if (sink.isOpen()) {
                response.write(":thump\n").onSuccess(ok -> streams.alive(sink.id));
            }
        });
        streams.open(sink, format, caller.opening()).subscribe().with(x -> { }, e -> sink.close(1011, null));
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    /** An event-stream response as a stream's sink; whoever ends it, the stream is closed once. */
    private final class EventSink implements StreamSink {

        private final HttpServerResponse response;
        private final MastodonStreamFormat format;
        private final String id = "sse-" + UUID.randomUUID();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile long heartbeat = -1;

        EventSink(HttpServerResponse response, MastodonStreamFormat format) {
            this.response = response;
            this.format = format;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Uni<Void> send(String frame) {
            return Uni.createFrom().completionStage(() -> response.write(format.eventStream(frame)).toCompletionStage());
        }

        /** An event stream has no close code: the response just ends, and the client reconnects. */
        @Override
        public void close(int code, String reason) {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
            ended();
        }

        @Override
        public boolean isOpen() {
            return !ended.get() && !response.ended() && !response.closed();
        }

        /** The response ended or its connection closed: no more heartbeats, and the stream leaves the fan-out. */
        void ended() {
            if (ended.compareAndSet(false, true)) {
                vertx.cancelTimer(heartbeat);
                streams.closed(id);
            }
        }
    }
}
