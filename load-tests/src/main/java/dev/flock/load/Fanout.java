package dev.flock.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1: readers hold a stream (/api/stream, or Mastodon's user stream with --stream-api mastodon), authors post
 * at a steady rate; POST start to frame arrival per frame.
 */
final class Fanout {

    static Result run(Client client, Streams streams, Config config, Population pop, String marker) {
        return run(client, streams, config, pop, marker, "fanout", Double.parseDouble(config.str("rate")),
                config.integer("warmup"), config.integer("duration"));
    }

    static Result run(Client client, Streams streams, Config config, Population pop, String marker, String name,
                      double rate, int warmup, int duration) {
        int readers = pop.readers.size();
        int grace = config.integer("grace");
        Delivery d = new Delivery(marker + " " + name, (int) (rate * (warmup + duration)) + 16, readers, pop.followers);
        AtomicInteger caughtUp = new AtomicInteger();
        AtomicLong frameBytes = new AtomicLong();
        AtomicLong frames = new AtomicLong();
        AtomicInteger closed = new AtomicInteger();
        List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        StreamApi api = StreamApi.of(config);
        // The gauge appears with the instance's first stream: none yet means 0.
        double gauge = api.mastodon() ? streamsOpen(client) : 0;
        double openBefore = Double.isNaN(gauge) ? 0 : gauge;
        System.out.printf(name + ": connecting %d streams (%s)%n", readers, api.description);
        Client.await(Client.bounded(client.vertx, readers, config.integer("connect-concurrency"), i -> {
            String token = pop.readers.get(i).token();
            return streams.connect(i, api.uri(token), api.headerToken(token), (text, now) -> {
                try {
                    StreamApi.Frame frame = api.read(Client.JSON.readTree(text), d.marker);
                    if (frame.tweetText() != null) {
                        long bytes = Streams.frameBytes(text.length());
                        frames.incrementAndGet();
                        frameBytes.addAndGet(bytes);
                        d.seen(i, frame.tweetText(), now, bytes);
                    } else if (frame.caughtUp()) {
                        caughtUp.incrementAndGet();
                    }
                } catch (Exception e) {
                    System.out.println("  bad frame: " + e);
                }
            }).onSuccess(ws -> {
                sockets.add(ws);
                ws.closeHandler(v -> closed.incrementAndGet());
            });
        }), 300);
        if (api.mastodon()) {
            // Mastodon's stream says nothing once it is live: Flock's gauge of live streams does.
            waitFor(() -> streamsOpen(client) >= openBefore + readers, 60);
            System.out.printf(name + ": %.0f streams live (flock_streams_open)%n", streamsOpen(client) - openBefore);
        } else {
            waitFor(() -> caughtUp.get() >= readers, 60);
            System.out.printf(name + ": %d streams caught up%n", caughtUp.get());
        }
        System.out.printf(name + ": posting %.0f/s for %d s warm-up + %d s%n", rate, warmup, duration);
        ServerProbe probe = new ServerProbe(client, config);
        ServerProbe.Sample before = probe.sample();
        Poster poster = new Poster();
        Progress progress = new Progress(() -> String.format(name + ": %ds posted %d accepted %d (in flight %d), frames %d, closed streams %d",
                (System.nanoTime() - poster.t0) / 1_000_000_000L, poster.sent.get(), poster.accepted.get(), poster.inFlight.get(),
                d.deliveries.get(), closed.get()));
        try {
            poster.runAndDrain(client, pop, d, rate, warmup, duration, config.integer("max-inflight-posts"), grace);
        } finally {
            progress.close();
        }
        ServerProbe.Sample after = probe.sample();
        Delivery.Check check = d.check(poster.sent.get());
        int closedWhileRunning = closed.get();
        Streams.closeAll(sockets);

        Result r = new Result(name);
        r.notes.put("stream API", api.description);
        r.put("streams", (long) readers).put("authors", (long) pop.authors.size())
                .put("followers per author", (long) pop.followersPerAuthor())
                .put("offered posts/s", rate).put("measured seconds", (long) duration)
                .put("posts sent", (long) poster.sent.get()).put("posts accepted (201)", check.accepted())
                .put("posts not sent (in-flight cap)", (long) poster.notSent.get())
                .put("posts failed", (long) poster.failures.values().stream().mapToInt(AtomicInteger::get).sum())
                .put("accepted posts/s", measuredRate(poster.acceptedPerSecond, warmup, duration))
                .put("frames expected", check.expected()).put("frames delivered", check.delivered())
                .put("lost", check.lost()).put("duplicated", check.duplicates()).put("unexpected", check.unexpected())
                .put("frames/s", measuredRate(d.perSecond, warmup, duration))
                .put("bytes per delivered frame", frames.get() == 0 ? Double.NaN : (double) frameBytes.get() / frames.get())
                .put("avg frame payload bytes", frames.get() == 0 ? Double.NaN : (double) (frameBytes.get() - 4 * frames.get()) / frames.get());
        r.putLatency("POST→frame", d.latency);
        r.putLatency("POST→201", poster.postLatency);
        r.put("streams closed by server", (long) closedWhileRunning);
        probe.describe(r, before, after, check.delivered());
        r.latency = d.latency;
        r.latencyLabel = name + ": POST start → frame (" + Result.fmt(rate) + " posts/s)";
        r.perSecond = Result.series(d.perSecond, warmup + duration + grace);
        r.perSecondLabel = "Flock frames/s (" + name + ")";
        r.measureFromSecond = warmup;
        String token = pop.readers.get(0).token();
        r.values.put("_handshake bytes", (double) readers * Streams.handshakeBytes(api.uri(token), api.headerToken(token)));
        if (!poster.failures.isEmpty()) {
            r.notes.put("post failures by status", poster.failures.toString());
        }
        System.out.printf(name + ": %s frames/s, p50 %s ms, p99 %s ms, lost %d, duplicated %d%n",
                Result.fmt(r.num("frames/s")), Result.fmt(r.num("POST→frame p50 (ms)")), Result.fmt(r.num("POST→frame p99 (ms)")),
                check.lost(), check.duplicates());
        return r;
    }

    /** Flock's live streams (registered in its fan-out), from /q/metrics; NaN when unreadable. */
    private static double streamsOpen(Client client) {
        try {
            return Client.metric(client.metrics(), "flock_streams_open");
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Mean per second over the measured window [warmup, warmup+duration). */
    static double measuredRate(java.util.concurrent.atomic.AtomicLongArray perSecond, int warmup, int duration) {
        long sum = 0;
        for (int s = warmup; s < warmup + duration; s++) {
            sum += perSecond.get(s);
        }
        return duration == 0 ? Double.NaN : (double) sum / duration;
    }

    static void waitFor(java.util.function.BooleanSupplier ok, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!ok.getAsBoolean() && System.nanoTime() < end) {
            Poster.sleep(50);
        }
    }
}
