package dev.flock.tweet;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * 64-bit time-ordered ids: 41 bits of milliseconds since 2026-01-01, 10 bits of worker number, 12 bits of sequence.
 * If the clock steps backwards, ids keep counting from the last millisecond used (borrowing ahead when its sequence
 * runs out), so an id is never issued twice and never decreases.
 */
public final class SnowflakeIds {

    public static final long EPOCH_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final int WORKER_BITS = 10;
    static final int SEQUENCE_BITS = 12;
    public static final int MAX_WORKER = (1 << WORKER_BITS) - 1;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private final long worker;
    private final LongSupplier clock;
    private long lastMillis = -1;
    private long sequence;

    public SnowflakeIds(int worker) {
        this(worker, System::currentTimeMillis);
    }

    SnowflakeIds(int worker, LongSupplier clock) {
        if (worker < 0 || worker > MAX_WORKER) {
            throw new IllegalArgumentException("worker must be 0.." + MAX_WORKER);
        }
        this.worker = worker;
        this.clock = clock;
    }

    public synchronized long next() {
        long now = clock.getAsLong() - EPOCH_MILLIS;
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else if (++sequence > MAX_SEQUENCE) {
            lastMillis++;
            sequence = 0;
        }
        return (lastMillis << (WORKER_BITS + SEQUENCE_BITS)) | (worker << SEQUENCE_BITS) | sequence;
    }

    /** The time an id was made, to the millisecond. */
    public static Instant timeOf(long id) {
        return Instant.ofEpochMilli((id >>> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS);
    }

    /** The smallest id made at or after this time: a cursor for "newer than this instant". */
    public static long firstIdAt(Instant time) {
        return Math.max(0, time.toEpochMilli() - EPOCH_MILLIS) << (WORKER_BITS + SEQUENCE_BITS);
    }

    public static int workerOf(long id) {
        return (int) ((id >>> SEQUENCE_BITS) & MAX_WORKER);
    }
}
