package dev.flock.load;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Who should see which post and who did: posts are numbered (the number is in the text, after the run's marker),
 * each reader keeps a bit set of the numbers it received. Latency is from the start of the POST to arrival.
 */
final class Delivery {

    final String marker;
    final int capacity;
    final AtomicLongArray postStart;
    /** 0 = not sent, 1 = in flight, HTTP status once answered, -1 = transport failure, -2 = not sent (in-flight cap). */
    final AtomicIntegerArray status;
    final int[] author;
    final BitSet[] got;
    final Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
    final AtomicLong deliveries = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong foreign = new AtomicLong();
    final AtomicLong wireBytes = new AtomicLong();
    /** Deliveries by second since {@link #t0}. */
    final AtomicLongArray perSecond = new AtomicLongArray(3600);
    final int[][] followers;
    volatile long t0 = System.nanoTime();
    /** Posts numbered below this were sent during warm-up: checked for loss, kept out of the latency histogram. */
    volatile int measureFrom;

    Delivery(String marker, int capacity, int readers, int[][] followers) {
        this.marker = marker;
        this.capacity = capacity;
        this.followers = followers;
        postStart = new AtomicLongArray(capacity);
        status = new AtomicIntegerArray(capacity);
        author = new int[capacity];
        got = new BitSet[readers];
        for (int i = 0; i < readers; i++) {
            got[i] = new BitSet();
        }
    }

    String text(int seq) {
        return marker + " #" + seq;
    }

    /** The post number in a tweet text of this run, or -1. */
    int seqOf(String text) {
        if (text == null || !text.startsWith(marker)) {
            return -1;
        }
        int hash = text.indexOf('#', marker.length());
        if (hash < 0) {
            return -1;
        }
        int end = hash + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        try {
            return Integer.parseInt(text.substring(hash + 1, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A reader saw a tweet (frame or poll item); {@code bytes} are the wire bytes to attribute to it (may be 0). */
    void seen(int reader, String text, long now, long bytes) {
        wireBytes.addAndGet(bytes);
        int seq = seqOf(text);
        if (seq < 0 || seq >= capacity) {
            foreign.incrementAndGet();
            return;
        }
        boolean dup;
        BitSet set = got[reader];
        synchronized (set) {
            dup = set.get(seq);
            set.set(seq);
        }
        if (dup) {
            duplicates.incrementAndGet();
            return;
        }
        deliveries.incrementAndGet();
        int sec = (int) ((now - t0) / 1_000_000_000L);
        if (sec >= 0 && sec < perSecond.length()) {
            perSecond.incrementAndGet(sec);
        }
        long start = postStart.get(seq);
        if (seq >= measureFrom && start != 0) {
            latency.recordValue(Math.max(0, (now - start) / 1000));
        }
    }

    record Check(long accepted, long expected, long delivered, long lost, long unexpected, long duplicates) {
    }

    /** Compares what every reader got with what it should have got, for posts 0..sent-1. */
    Check check(int sent) {
        long accepted = 0;
        long expected = 0;
        long delivered = 0;
        long unexpected = 0;
        for (int seq = 0; seq < sent; seq++) {
            boolean ok = status.get(seq) == 201;
            if (ok) {
                accepted++;
            }
            boolean[] follows = new boolean[got.length];
            for (int r : followers[author[seq]]) {
                follows[r] = true;
            }
            for (int r = 0; r < got.length; r++) {
                boolean has;
                synchronized (got[r]) {
                    has = got[r].get(seq);
                }
                if (ok && follows[r]) {
                    expected++;
                    if (has) {
                        delivered++;
                    }
                } else if (has) {
                    unexpected++;
                }
            }
        }
        return new Check(accepted, expected, delivered, expected - delivered, unexpected + foreign.get(), duplicates.get());
    }

    /** Unique deliveries still due for the accepted posts among 0..sent-1 (cheap running estimate). */
    long outstanding(int sent, long acceptedFollowerSum) {
        return acceptedFollowerSum - deliveries.get();
    }
}
