package dev.flock.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Streams per account on this instance ({@code flock.live.streams-per-account}). An upgrade reserves a place before
 * the 101; the stream takes it when it opens and holds it while its connection is open. Places are counted by asking
 * each stream's connection whether it is still open, not by waiting for close callbacks: a client that closes and
 * reconnects at once (a page reload) must not find its own departed streams still counted. A reservation whose
 * WebSocket never opened lapses after a few seconds, so a failed handshake cannot lock an account out.
 */
@ApplicationScoped
class StreamQuota {

    private static final long RESERVATION_NANOS = 10_000_000_000L;

    @Inject
    LiveConfig config;

    private static final class Count {
        final Set<StreamSink> streams = new HashSet<>();
        final ArrayDeque<Long> reservedUntil = new ArrayDeque<>();

        boolean idle() {
            return streams.isEmpty() && reservedUntil.isEmpty();
        }
    }

    private final Map<Long, Count> counts = new HashMap<>();

    synchronized boolean reserve(long account) {
        long now = System.nanoTime();
        Count count = counts.computeIfAbsent(account, k -> new Count());
        while (!count.reservedUntil.isEmpty() && count.reservedUntil.peekFirst() - now < 0) {
            count.reservedUntil.pollFirst();
        }
        count.streams.removeIf(stream -> !stream.isOpen());
        if (count.streams.size() + count.reservedUntil.size() >= config.streamsPerAccount()) {
            return false;
        }
        count.reservedUntil.addLast(now + RESERVATION_NANOS);
        return true;
    }

    /** The reserved upgrade became this stream. */
    synchronized void opened(long account, StreamSink stream) {
        Count count = counts.computeIfAbsent(account, k -> new Count());
        count.reservedUntil.pollFirst();
        count.streams.add(stream);
    }

    /** An upgrade whose stream never opened gives back its reservation. */
    synchronized void abandoned(long account) {
        Count count = counts.get(account);
        if (count != null) {
            count.reservedUntil.pollFirst();
            forgetIfIdle(account, count);
        }
    }

    /** The stream ended: it gives back its place. */
    synchronized void closed(long account, StreamSink stream) {
        Count count = counts.get(account);
        if (count != null) {
            count.streams.remove(stream);
            forgetIfIdle(account, count);
        }
    }

    private void forgetIfIdle(long account, Count count) {
        if (count.idle()) {
            counts.remove(account);
        }
    }
}
