package dev.flock.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 4: the stack's own fan-out ceiling. A bare Vert.x WebSocket broadcast server, started here on a free
 * loopback port, pushes frames shaped like Flock's tweet frames to the same follow graph; the same clients read
 * them and the driver posts as fast as they are delivered (at most --ceiling-backlog frames in flight).
 */
final class Ceiling {

    static Result run(Vertx clientVertx, Config config, Population pop, String marker) {
        int readers = pop.readers.size();
        int warmup = 2;
        int duration = config.integer("ceiling-duration");
        long backlog = config.integer("ceiling-backlog");
        int[][] followers = pop.followers;
        String[] authorNames = pop.authors.stream().map(Population.Account::username).toArray(String[]::new);
        ServerWebSocket[] conns = new ServerWebSocket[readers];
        Vertx serverVertx = Vertx.vertx();
        HttpServer server = serverVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .webSocketHandler(ws -> {
                    String q = ws.query() == null ? "" : ws.query();
                    int reader = Integer.parseInt(q.replaceAll(".*reader=(\\d+).*", "$1"));
                    conns[reader] = ws;
                    ws.writeTextMessage("{\"type\":\"caught-up\",\"lastId\":null}");
                })
                .requestHandler(req -> {
                    int author = Integer.parseInt(req.getParam("author"));
                    long seq = Long.parseLong(req.getParam("seq"));
                    req.body().onSuccess(body -> {
                        String text;
                        try {
                            text = Client.JSON.readTree(body.toString()).path("text").asText();
                        } catch (Exception e) {
                            req.response().setStatusCode(400).end();
                            return;
                        }
                        String frame = "{\"type\":\"tweet\",\"tweet\":{\"id\":\"" + (118639394721746944L + seq) + "\",\"author\":{\"id\":\""
                                + (author + 1) + "\",\"username\":\"" + authorNames[author] + "\",\"displayName\":\"" + authorNames[author]
                                + "\"},\"text\":" + Client.JSON.valueToTree(text) + ",\"createdAt\":\"" + Instant.now() + "\"}}";
                        for (int r : followers[author]) {
                            ServerWebSocket ws = conns[r];
                            if (ws != null) {
                                ws.writeTextMessage(frame);
                            }
                        }
                        req.response().setStatusCode(201).end("{\"id\":\"" + seq + "\"}");
                    });
                });
        int port = Client.await(server.listen(), 30).actualPort();
        System.out.printf("ceiling: bare Vert.x broadcast server on 127.0.0.1:%d; connecting %d streams%n", port, readers);

        Delivery d = new Delivery(marker + " ceiling", 1_000_000, readers, followers);
        Streams streams = new Streams(clientVertx, "127.0.0.1", port, List.of(""), readers);
        AtomicInteger caughtUp = new AtomicInteger();
        List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        long[] frameBytes = new long[1];
        long[] frames = new long[1];
        Client.await(Client.bounded(clientVertx, readers, 64, i ->
                streams.connect(i, "/stream?reader=" + i, null, (text, now) -> {
                    try {
                        JsonNode frame = Client.JSON.readTree(text);
                        if (frame.path("type").asText().equals("tweet")) {
                            long bytes = Streams.frameBytes(text.length());
                            synchronized (frames) {
                                frames[0]++;
                                frameBytes[0] += bytes;
                            }
                            d.seen(i, frame.path("tweet").path("text").asText(), now, bytes);
                        } else {
                            caughtUp.incrementAndGet();
                        }
                    } catch (Exception e) {
                        System.out.println("  bad frame: " + e);
                    }
                }).onSuccess(sockets::add)), 120);
        Fanout.waitFor(() -> caughtUp.get() >= readers, 30);

        Client driver = new Client(clientVertx, "127.0.0.1", port, 64);
        int concurrency = 16;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong due = new java.util.concurrent.atomic.AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        long t0 = System.nanoTime();
        d.t0 = t0;
        d.measureFrom = Integer.MAX_VALUE;
        System.out.printf("ceiling: driving for %d s warm-up + %d s%n", warmup, duration);
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (!running.get()) {
                return;
            }
            if (due.get() - d.deliveries.get() > backlog) {
                clientVertx.setTimer(1, id -> next[0].run());
                return;
            }
            int seq = sent.getAndIncrement();
            if (seq >= d.capacity) {
                return;
            }
            int a = seq % authorNames.length;
            d.author[seq] = a;
            d.status.set(seq, 1);
            d.postStart.set(seq, System.nanoTime());
            due.addAndGet(followers[a].length);
            driver.call(HttpMethod.POST, "/post?author=" + a + "&seq=" + seq, null, java.util.Map.of("text", d.text(seq)), null)
                    .onComplete(ar -> {
                        d.status.set(seq, ar.succeeded() ? ar.result().status() : -1);
                        answered.incrementAndGet();
                        next[0].run();
                    });
        };
        Progress progress = new Progress(() -> String.format("ceiling: %ds posts %d, frames %d",
                (System.nanoTime() - t0) / 1_000_000_000L, sent.get(), d.deliveries.get()));
        clientVertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                next[0].run();
            }
        });
        Poster.sleep(warmup * 1000L);
        d.measureFrom = sent.get();
        Poster.sleep(duration * 1000L);
        running.set(false);
        Fanout.waitFor(() -> answered.get() >= Math.min(sent.get(), d.capacity) && d.deliveries.get() >= due.get(), 15);
        progress.close();
        int total = Math.min(sent.get(), d.capacity);
        Delivery.Check check = d.check(total);
        Streams.closeAll(sockets);
        Client.await(server.close(), 10);
        Client.await(serverVertx.close(), 10);

        Result r = new Result("ceiling");
        r.put("streams", (long) readers).put("followers per author", (long) pop.followersPerAuthor())
                .put("posts in flight", (long) concurrency).put("measured seconds", (long) duration)
                .put("posts", (long) total).put("frames expected", check.expected()).put("frames delivered", check.delivered())
                .put("lost", check.lost()).put("duplicated", check.duplicates())
                .put("posts/s", (double) (total - d.measureFrom) / (duration + 0.0))
                .put("frames/s", Fanout.measuredRate(d.perSecond, warmup, duration))
                .put("avg frame payload bytes", frames[0] == 0 ? Double.NaN : (double) (frameBytes[0] - 4 * frames[0]) / frames[0]);
        r.putLatency("POST→frame", d.latency);
        r.latency = d.latency;
        r.latencyLabel = "bare Vert.x at its ceiling: POST start → frame";
        r.perSecond = Result.series(d.perSecond, warmup + duration + 1);
        r.perSecondLabel = "bare Vert.x frames/s";
        r.measureFromSecond = warmup;
        System.out.printf("ceiling: %s frames/s, lost %d, duplicated %d%n", Result.fmt(r.num("frames/s")), check.lost(), check.duplicates());
        return r;
    }
}
