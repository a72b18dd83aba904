package dev.flock.load;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Posts at a steady rate (open loop: a slow answer does not delay the next post), round-robin over the authors. */
final class Poster {

    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger notSent = new AtomicInteger();
    /** Sum over accepted posts of their author's followers: the deliveries due so far. */
    final AtomicLong due = new AtomicLong();
    final Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
    final AtomicLongArray acceptedPerSecond = new AtomicLongArray(3600);
    final Histogram postLatency = new ConcurrentHistogram(3_600_000_000L, 3);
    volatile long t0;
    volatile long measureStart;
    volatile long end;

    /** Posts for warmup+duration seconds, then returns once every POST has been answered (or 40 s passed). */
    void run(Client client, Population pop, Delivery delivery, double rate, int warmup, int duration, int maxInFlight) {
        Vertx vertx = client.vertx;
        int total = (int) Math.min(delivery.capacity, Math.round(rate * (warmup + duration)));
        t0 = System.nanoTime();
        delivery.t0 = t0;
        measureStart = t0 + warmup * 1_000_000_000L;
        delivery.measureFrom = (int) Math.round(rate * warmup);
        long[] timer = new long[1];
        Object lock = new Object();
        timer[0] = vertx.setPeriodic(5, id -> {
            long now = System.nanoTime();
            long dueNow = Math.min(total, (long) ((now - t0) / 1e9 * rate));
            while (sent.get() < dueNow) {
                int seq = sent.getAndIncrement();
                int a = seq % pop.authors.size();
                delivery.author[seq] = a;
                if (inFlight.get() >= maxInFlight) {
                    delivery.status.set(seq, -2);
                    notSent.incrementAndGet();
                    continue;
                }
                inFlight.incrementAndGet();
                delivery.status.set(seq, 1);
                long start = System.nanoTime();
                delivery.postStart.set(seq, start);
                client.call(HttpMethod.POST, "/api/tweets", pop.authors.get(a).token(), Map.of("text", delivery.text(seq)), null)
                        .onComplete(ar -> {
                            long done = System.nanoTime();
                            int code = ar.succeeded() ? ar.result().status() : -1;
                            delivery.status.set(seq, code);
                            if (code == 201) {
                                accepted.incrementAndGet();
                                due.addAndGet(delivery.followers[a].length);
                                int sec = (int) ((done - t0) / 1_000_000_000L);
                                if (sec >= 0 && sec < acceptedPerSecond.length()) {
                                    acceptedPerSecond.incrementAndGet(sec);
                                }
                                if (seq >= delivery.measureFrom) {
                                    postLatency.recordValue((done - start) / 1000);
                                }
                            } else {
                                failures.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
                                if (failures.get(code).get() <= 3) {
                                    System.out.println("  post failed: " + (ar.succeeded() ? code + " " + ar.result().body() : ar.cause()));
                                }
                            }
                            inFlight.decrementAndGet();
                        });
            }
            if (sent.get() >= total) {
                vertx.cancelTimer(timer[0]);
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        });
        long deadline = t0 + (warmup + duration + 40L) * 1_000_000_000L;
        while ((sent.get() < total || inFlight.get() > 0) && System.nanoTime() < deadline) {
            sleep(50);
        }
        end = System.nanoTime();
    }

    /** Posts for warm-up + duration, then waits up to {@code graceSeconds} for every due delivery to arrive. */
    void runAndDrain(Client client, Population pop, Delivery delivery, double rate, int warmup, int duration, int maxInFlight,
                     long graceSeconds) {
        run(client, pop, delivery, rate, warmup, duration, maxInFlight);
        long graceEnd = System.nanoTime() + graceSeconds * 1_000_000_000L;
        while (delivery.deliveries.get() < due.get() && System.nanoTime() < graceEnd) {
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
