package dev.flock.live;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;

/**
 * Bounds the stream opens that read PostgreSQL at once ({@code flock.live.replays}, a share of the pool), with a
 * bounded queue behind them ({@code flock.live.replay-queue}): a reconnect storm waits its turn instead of pinning
 * every connection of the pool, and beyond the queue the upgrade is refused (503, Retry-After) before any WebSocket
 * exists.
 */
@ApplicationScoped
class ReplayGate {

    /** The queue is full: this open is refused. */
    static final class Full extends RuntimeException {
        Full() {
            super("too many stream opens waiting", null, false, false);
        }
    }

    @Inject
    LiveConfig config;

    private int active;
    private final ArrayDeque<UniEmitter<? super Void>> waiting = new ArrayDeque<>();

    /** Whether an upgrade should be refused now, because the queue is full. */
    synchronized boolean saturated() {
        return active >= config.replays() && waiting.size() >= config.replayQueue();
    }

    /** Completes when this open may read; fails with {@link Full} when the queue is full. */
    Uni<Void> enter() {
        return Uni.createFrom().emitter(emitter -> {
            boolean now;
            synchronized (this) {
                if (active < config.replays()) {
                    active++;
                    now = true;
                } else if (waiting.size() < config.replayQueue()) {
                    waiting.addLast(emitter);
                    now = false;
                } else {
                    emitter.fail(new Full());
                    return;
                }
            }
            if (now) {
                emitter.complete(null);
            }
        });
    }

    /** Called once per successful {@link #enter}, when its reads are done. */
    void leave() {
        UniEmitter<? super Void> next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                active--;
                return;
            }
        }
        next.complete(null);
    }
}
