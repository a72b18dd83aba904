package dev.flock.live;

import dev.flock.timeline.StreamCursor;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Opens, tracks and closes this instance's live streams. */
@ApplicationScoped
public class LiveStreams {

    private static final Logger LOG = Logger.getLogger(LiveStreams.class);
    static final UserData.TypedKey<Long> ACCOUNT = UserData.TypedKey.forLong("flock.account");
    static final UserData.TypedKey<Long> EXPIRES = UserData.TypedKey.forLong("flock.expires");
    static final UserData.TypedKey<String> CURSOR = UserData.TypedKey.forString("flock.cursor");
    private static final CloseReason UNAVAILABLE = new CloseReason(1013, "This instance cannot start the stream right now; try again");

    @Inject
    LiveLog live;

    @Inject
    StreamReplay replay;

    @Inject
    LiveMetrics metrics;

    @Inject
    LiveConfig config;

    @Inject
    Vertx vertx;

    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Long> expiryTimers = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private long sweeper = -1;

    void start(@Observes StartupEvent event) {
        long every = Math.max(1000, config.deadAfter().toMillis() / 3);
        sweeper = vertx.setPeriodic(every, t -> closeDead());
    }

    boolean draining() {
        return draining;
    }

    Uni<Void> open(WebSocketConnection connection) {
        long account = connection.userData().get(ACCOUNT);
        String rawCursor = connection.userData().get(CURSOR);
        StreamCursor cursor = rawCursor == null ? null : StreamCursor.parse(rawCursor);
        StreamSession session = new StreamSession(connection, account, config.maxQueuedFrames(), config.maxQueuedBytes(),
                new StreamSession.Writer() {
                    @Override
                    public void written(String frame, LiveTweet tweet) {
                        metrics.written(tweet);
                    }

                    @Override
                    public void dropped(StreamSession s) {
                        metrics.slowClosed(s.droppedOnClose());
                    }
                });
        if (draining) {
            return connection.close(StreamSession.GOING_AWAY);
        }
        sessions.put(connection.id(), session);
        Long expires = connection.userData().get(EXPIRES);
        if (expires != null) {
            long delay = Math.max(1, expires - System.currentTimeMillis());
            expiryTimers.put(connection.id(), vertx.setTimer(delay, t -> session.close(StreamSession.TOKEN_EXPIRED)));
        }
        return replay.replay(session, cursor)
                .chain(outcome -> switch (outcome) {
                    case LIVE, CLOSED -> Uni.createFrom().voidItem();
                    case RESET -> connection.close(CloseReason.NORMAL);
                    case UNAVAILABLE -> connection.close(UNAVAILABLE);
                })
                .onFailure().recoverWithUni(e -> {
                    if (!connection.isOpen()) {
                        // The client hung up during its replay: nothing failed.
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("Opening a stream for account %d failed: %s", account, e.toString());
                    return connection.close(CloseReason.INTERNAL_SERVER_ERROR);
                });
    }

    void closed(WebSocketConnection connection) {
        StreamSession session = sessions.remove(connection.id());
        Long timer = expiryTimers.remove(connection.id());
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        if (session != null) {
            session.close(null);
            live.unregister(session);
        }
    }

    void pong(WebSocketConnection connection) {
        StreamSession session = sessions.get(connection.id());
        if (session != null) {
            session.lastPongNanos = System.nanoTime();
        }
    }

    private void closeDead() {
        long limit = config.deadAfter().toNanos();
        long now = System.nanoTime();
        for (StreamSession session : sessions.values()) {
            if (now - session.lastPongNanos > limit) {
                session.close(new CloseReason(1001, "No answer to pings"));
            }
        }
    }

    /** Pre-shutdown (readiness already down): refuse new streams and send the open ones elsewhere with 1001. */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        drainNow();
    }

    void stop(@Observes ShutdownEvent event) {
        drainNow();
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    private void drainNow() {
        if (draining) {
            return;
        }
        draining = true;
        List<StreamSession> open = List.copyOf(sessions.values());
        LOG.infof("Draining: closing %d live streams with 1001", open.size());
        open.forEach(s -> s.close(StreamSession.GOING_AWAY));
    }
}
