package dev.flock.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Scenario 3: the same readers poll GET /api/timeline/home?after=<newest seen> every I ms instead of streaming. */
final class Polling {

    static Result run(Client client, Config config, Population pop, String marker) {
        int readers = pop.readers.size();
        double rate = Double.parseDouble(config.str("poll-rate"));
        int warmup = config.integer("poll-warmup");
        int duration = config.integer("poll-duration");
        int interval = config.integer("poll-interval");
        int grace = Math.max(config.integer("grace"), 2 * interval / 1000 + 3);
        Delivery d = new Delivery(marker + " poll", (int) (rate * (warmup + duration)) + 16, readers, pop.followers);
        long[] newest = new long[readers];
        AtomicLong requests = new AtomicLong();
        AtomicLong measuredRequests = new AtomicLong();
        AtomicLong emptyPolls = new AtomicLong();
        AtomicLong fullPages = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong failedPolls = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLongArray requestsPerSecond = new AtomicLongArray(3600);
        AtomicBoolean[] busy = new AtomicBoolean[readers];

        System.out.printf("polling: %d readers find their newest tweet%n", readers);
        Client.await(Client.bounded(client.vertx, readers, 32, i ->
                client.call(HttpMethod.GET, "/api/timeline/home?limit=1", pop.readers.get(i).token(), null, null).map(resp -> {
                    JsonNode items = resp.json().path("items");
                    newest[i] = items.size() > 0 ? Long.parseLong(items.get(0).path("id").asText()) : 0;
                    busy[i] = new AtomicBoolean();
                    return null;
                })), 300);

        ServerProbe probe = new ServerProbe(client, config);
        ServerProbe.Sample before = probe.sample();
        Poster poster = new Poster();
        AtomicBoolean polling = new AtomicBoolean(true);
        long pollStart = System.nanoTime();
        d.t0 = pollStart;
        long[] timers = new long[readers];
        for (int i = 0; i < readers; i++) {
            int reader = i;
            long first = 1 + ThreadLocalRandom.current().nextLong(interval);
            client.vertx.setTimer(first, t0 -> timers[reader] = client.vertx.setPeriodic(interval, id -> {
                if (!polling.get()) {
                    client.vertx.cancelTimer(id);
                    return;
                }
                if (!busy[reader].compareAndSet(false, true)) {
                    skipped.incrementAndGet();
                    return;
                }
                poll(client, pop, d, reader, newest, Long.MAX_VALUE, newest[reader], requests, measuredRequests, poster,
                        requestsPerSecond, emptyPolls, fullPages, bytes, failedPolls)
                        .onComplete(ar -> busy[reader].set(false));
            }));
        }
        System.out.printf("polling: every %d ms; posting %.0f/s for %d s warm-up + %d s%n", interval, rate, warmup, duration);
        Progress progress = new Progress(() -> String.format("polling: %ds posted %d accepted %d, polls %d, tweets seen %d",
                (System.nanoTime() - poster.t0) / 1_000_000_000L, poster.sent.get(), poster.accepted.get(), requests.get(), d.deliveries.get()));
        try {
            poster.runAndDrain(client, pop, d, rate, warmup, duration, config.integer("max-inflight-posts"), grace);
        } finally {
            progress.close();
            polling.set(false);
        }
        Poster.sleep(Math.min(3000, interval + 200));
        ServerProbe.Sample after = probe.sample();
        Delivery.Check check = d.check(poster.sent.get());

        Result r = new Result("polling");
        r.put("readers", (long) readers).put("poll interval (ms)", (long) interval).put("offered posts/s", rate)
                .put("tweets per reader per second", rate * pop.followees[0].length / pop.authors.size())
                .put("posts accepted (201)", check.accepted())
                .put("accepted posts/s", Fanout.measuredRate(poster.acceptedPerSecond, warmup, duration))
                .put("tweets expected", check.expected()).put("tweets delivered", check.delivered())
                .put("lost", check.lost()).put("duplicated", check.duplicates()).put("unexpected", check.unexpected())
                .put("poll requests", requests.get())
                .put("requests/s", Fanout.measuredRate(requestsPerSecond, warmup, duration))
                .put("delivered tweets/s", Fanout.measuredRate(d.perSecond, warmup, duration))
                .put("empty polls", emptyPolls.get()).put("full pages (paged on)", fullPages.get())
                .put("polls skipped (previous still running)", skipped.get()).put("failed polls", failedPolls.get())
                .put("requests per delivered tweet", check.delivered() == 0 ? Double.NaN : (double) requests.get() / check.delivered())
                .put("bytes per delivered tweet", check.delivered() == 0 ? Double.NaN : (double) bytes.get() / check.delivered());
        r.putLatency("POST→seen", d.latency);
        probe.describe(r, before, after, check.delivered());
        r.latency = d.latency;
        r.latencyLabel = "polling every " + interval + " ms: POST start → poll answer (" + Result.fmt(rate) + " posts/s)";
        r.perSecond = Result.series(d.perSecond, warmup + duration + grace);
        r.perSecondLabel = "polled tweets/s";
        r.measureFromSecond = warmup;
        System.out.printf("polling: %s requests/s, p50 %s ms, p99 %s ms, %s bytes and %s requests per delivered tweet, lost %d%n",
                Result.fmt(r.num("requests/s")), Result.fmt(r.num("POST→seen p50 (ms)")), Result.fmt(r.num("POST→seen p99 (ms)")),
                Result.fmt(r.num("bytes per delivered tweet")), Result.fmt(r.num("requests per delivered tweet")), check.lost());
        return r;
    }

    /** One poll; a full page means more may be newer than the oldest item: page on with before=oldest&after=floor. */
    private static Future<Void> poll(Client client, Population pop, Delivery d, int reader, long[] newest, long before, long floor,
                                     AtomicLong requests, AtomicLong measured, Poster poster, AtomicLongArray perSecond,
                                     AtomicLong empty, AtomicLong full, AtomicLong bytes, AtomicLong failed) {
        String uri = "/api/timeline/home?limit=100&after=" + floor + (before == Long.MAX_VALUE ? "" : "&before=" + before);
        requests.incrementAndGet();
        long t0 = poster.t0;
        if (t0 != 0) {
            int sec = (int) ((System.nanoTime() - t0) / 1_000_000_000L);
            if (sec >= 0 && sec < perSecond.length()) {
                perSecond.incrementAndGet(sec);
            }
        }
        return client.call(HttpMethod.GET, uri, pop.readers.get(reader).token(), null, null).compose(resp -> {
            long now = System.nanoTime();
            bytes.addAndGet(resp.requestBytes() + resp.responseBytes());
            if (resp.status() != 200) {
                failed.incrementAndGet();
                return Future.succeededFuture();
            }
            JsonNode items = resp.json().path("items");
            if (items.size() == 0) {
                empty.incrementAndGet();
                return Future.succeededFuture();
            }
            long oldest = Long.MAX_VALUE;
            for (JsonNode item : items) {
                long id = Long.parseLong(item.path("id").asText());
                newest[reader] = Math.max(newest[reader], id);
                oldest = Math.min(oldest, id);
                d.seen(reader, item.path("text").asText(), now, 0);
            }
            if (items.size() >= 100) {
                full.incrementAndGet();
                return poll(client, pop, d, reader, newest, oldest, floor, requests, measured, poster, perSecond, empty, full, bytes, failed);
            }
            return Future.succeededFuture();
        }, e -> {
            failed.incrementAndGet();
            return Future.succeededFuture();
        });
    }
}
