package dev.flock.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Streams per account on this instance ({@code flock.live.streams-per-account}). An upgrade reserves a place before
 * the 101; the stream takes it when it opens and gives it back when it closes. A reservation whose WebSocket never
 * opened lapses after a few seconds, so a failed handshake cannot lock an account out.
 */
@ApplicationScoped
class StreamQuota {

    private static final long RESERVATION_NANOS = 10_000_000_000L;

    @Inject
    LiveConfig config;

    private static final class Count {
        int open;
        final ArrayDeque<Long> reservedUntil = new ArrayDeque<>();
    }

    private final Map<Long, Count> counts = new HashMap<>();

    synchronized boolean reserve(long account) {
        long now = System.nanoTime();
        Count count = counts.computeIfAbsent(account, k -> new Count());
        while (!count.reservedUntil.isEmpty() && count.reservedUntil.peekFirst() - now < 0) {
            count.reservedUntil.pollFirst();
        }
        if (count.open + count.reservedUntil.size() >= config.streamsPerAccount()) {
            forgetIfIdle(account, count);
            return false;
        }
        count.reservedUntil.addLast(now + RESERVATION_NANOS);
        return true;
    }

    synchronized void opened(long account) {
        Count count = counts.computeIfAbsent(account, k -> new Count());
        count.reservedUntil.pollFirst();
        count.open++;
    }

    synchronized void closed(long account) {
        Count count = counts.get(account);
        if (count != null) {
            count.open = Math.max(0, count.open - 1);
            forgetIfIdle(account, count);
        }
    }

    private void forgetIfIdle(long account, Count count) {
        if (count.open == 0 && count.reservedUntil.isEmpty()) {
            counts.remove(account);
        }
    }
}
