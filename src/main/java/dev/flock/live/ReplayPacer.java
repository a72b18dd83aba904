package dev.flock.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Paces the frames all replays of this instance send ({@code flock.live.replay-frames-per-second}), so that a reconnect
 * storm is spread out instead of taking every core at once: live frames to streams that never left keep their
 * latency, and the storm still clears at a known rate. Counted as GCRA does it (a theoretical time at which the
 * frames sent so far would be paid for), with a short burst allowed.
 */
@ApplicationScoped
class ReplayPacer {

    private static final long BURST_NANOS = 100_000_000L;

    @Inject
    LiveConfig config;

    private long paidUntil;

    /** Takes {@code frames} and answers how many milliseconds to wait before sending them (0: at once). */
    long reserve(int frames) {
        long cost = frames * 1_000_000_000L / Math.max(1, config.replayFramesPerSecond());
        long now = System.nanoTime();
        long until;
        synchronized (this) {
            paidUntil = Math.max(paidUntil, now) + cost;
            until = paidUntil;
        }
        return Math.max(0, (until - now - BURST_NANOS) / 1_000_000);
    }

    /**
     * Milliseconds until the frames reserved so far are paid for (beyond the burst): a replay waits that long before
     * it reads its next round, so what is read but not yet sent stays about one round per reading stream, however
     * many streams are opening.
     */
    long untilTurn() {
        long now = System.nanoTime();
        long until;
        synchronized (this) {
            until = paidUntil;
        }
        return Math.max(0, (until - now - BURST_NANOS) / 1_000_000);
    }
}
