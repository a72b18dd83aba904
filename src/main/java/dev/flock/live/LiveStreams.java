package dev.flock.live;

import dev.flock.account.SessionsRevoked;
import dev.flock.timeline.StreamCursor;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens, tracks and closes this instance's live streams, whatever protocol carries them (Flock's /api/stream, and
 * the Mastodon streaming API through {@link StreamSink} and {@link StreamFormat}).
 */
@ApplicationScoped
public class LiveStreams {

    private static final Logger LOG = Logger.getLogger(LiveStreams.class);
    private static final StreamSession.Close UNAVAILABLE = new StreamSession.Close(1013, "This instance cannot start the stream right now; try again");
    private static final StreamSession.Close RESET = new StreamSession.Close(1000, "Reset: reload the timeline");
    private static final StreamSession.Close FAILED = new StreamSession.Close(1011, "The stream could not be opened");
    private static final StreamSession.Close DEAD = new StreamSession.Close(1001, "No answer to pings");

    /** Who a stream is for, as its upgrade established it. */
    public record Opening(long account, String tokenSession, Long expiresAtMillis, StreamCursor cursor) {
    }

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

    @Inject
    StreamQuota quota;

    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Long> expiryTimers = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private long sweeper = -1;

    void start(@Observes StartupEvent event) {
        long every = Math.max(1000, config.deadAfter().toMillis() / 3);
        sweeper = vertx.setPeriodic(every, t -> closeDead());
    }

    /**
     * Reserves a place for one more stream of the account on this instance, before its upgrade is answered: false when
     * it has {@code flock.live.streams-per-account} already (every protocol's streams count). The stream opened with
     * {@link #open} takes the place; a reservation not taken lapses after a few seconds, or at once by
     * {@link #abandoned}.
     */
    public boolean reserve(long account) {
        return quota.reserve(account);
    }

    /** The upgrade reserved by {@link #reserve} ended before its stream opened. */
    public void abandoned(long account) {
        quota.abandoned(account);
    }

    /** While draining, new streams are refused (the upgrade answers 503) and open ones are sent elsewhere. */
    public boolean draining() {
        return draining;
    }

    /**
     * Opens a stream on the sink: replays from the cursor (formats with cursors only), then live. Completes once the
     * stream is live or has ended (reset, closed by the client, or this instance cannot serve it now).
     */
    public Uni<Void> open(StreamSink sink, StreamFormat format, Opening opening) {
        StreamSession session = new StreamSession(sink, format, opening.account(), opening.tokenSession(),
                config.maxQueuedFrames(), config.maxQueuedBytes(), new StreamSession.Writer() {
                    @Override
                    public void written(String frame, LiveTweet tweet) {
                        metrics.written(tweet);
                    }

                    @Override
                    public void dropped(StreamSession s) {
                        metrics.slowClosed(s.droppedOnClose());
                    }
                });
        quota.opened(opening.account(), sink);
        if (draining) {
            session.close(StreamSession.GOING_AWAY);
            quota.closed(opening.account(), sink);
            return Uni.createFrom().voidItem();
        }
        sessions.put(sink.id(), session);
        if (opening.expiresAtMillis() != null) {
            long delay = Math.max(1, opening.expiresAtMillis() - System.currentTimeMillis());
            expiryTimers.put(sink.id(), vertx.setTimer(delay, t -> session.close(StreamSession.TOKEN_EXPIRED)));
        }
        return replay.replay(session, format.carriesCursor() ? opening.cursor() : null)
                .invoke(outcome -> {
                    switch (outcome) {
                        case RESET -> session.close(RESET);
                        case UNAVAILABLE -> session.close(UNAVAILABLE);
                        default -> { }
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    // A client that hung up during its replay is no failure.
                    if (sink.isOpen()) {
                        LOG.warnf("Opening a stream for account %d failed: %s", opening.account(), e.toString());
                        session.close(FAILED);
                    }
                    return null;
                });
    }

    /**
     * The sink's connection ended (whoever ended it). Answers whether the stream was still known: true once per
     * stream, so the caller can give back what the stream held.
     */
    public boolean closed(String sinkId) {
        StreamSession session = sessions.remove(sinkId);
        Long timer = expiryTimers.remove(sinkId);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        if (session != null) {
            session.close(null);
            live.unregister(session);
            quota.closed(session.accountId, session.sink);
        }
        return session != null;
    }

    /** The client showed it is alive (a pong, or a heartbeat it received). */
    public void alive(String sinkId) {
        StreamSession session = sessions.get(sinkId);
        if (session != null) {
            session.lastPongNanos = System.nanoTime();
        }
    }

    /** A signed-out token's streams end with 1008 on every instance (each hears of the revocation). */
    void signedOut(@Observes SessionsRevoked revoked) {
        for (StreamSession session : sessions.values()) {
            if (session.tokenSession != null && revoked.sessionIds().contains(session.tokenSession)) {
                session.close(StreamSession.SIGNED_OUT);
            }
        }
    }

    private void closeDead() {
        long limit = config.deadAfter().toNanos();
        long now = System.nanoTime();
        for (var entry : sessions.entrySet()) {
            StreamSession session = entry.getValue();
            if (!session.sink.isOpen()) {
                // Its end was not reported (no callback fires for some early closes): forget it now.
                closed(entry.getKey());
            } else if (now - session.lastPongNanos > limit) {
                session.close(DEAD);
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
