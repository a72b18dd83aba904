package dev.flock.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 2: ramp to N idle streams and hold them; server heap and RSS per connection, connect times, failures.
 * A process may hold at most ~20,000 files, so beyond 15,000 connections the streams are spread over several
 * generator processes (this same jar, --role conn-worker), each from its own source address 127.0.0.x.
 */
final class Connections {

    /** One generator's ramp. */
    static final class Ramp {
        final Histogram handshake = new ConcurrentHistogram(3_600_000_000L, 3);
        final Histogram caughtUp = new ConcurrentHistogram(3_600_000_000L, 3);
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger ready = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger closedByServer = new AtomicInteger();
        final Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();
        final List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());

        void run(Vertx vertx, Streams streams, List<String> tokens, int n, int concurrency) {
            CountDownLatch all = new CountDownLatch(n);
            Client.bounded(vertx, n, concurrency, i -> {
                long start = System.nanoTime();
                boolean[] seen = new boolean[1];
                return streams.connect(i, "/api/stream", tokens.get(i % tokens.size()), (text, now) -> {
                    if (!seen[0] && text.contains("\"caught-up\"")) {
                        seen[0] = true;
                        caughtUp.recordValue((now - start) / 1000);
                        ready.incrementAndGet();
                        all.countDown();
                    }
                }).map(ws -> {
                    handshake.recordValue((System.nanoTime() - start) / 1000);
                    opened.incrementAndGet();
                    sockets.add(ws);
                    ws.closeHandler(v -> closedByServer.incrementAndGet());
                    return ws;
                }).otherwise(e -> {
                    failed.incrementAndGet();
                    String reason = String.valueOf(e.getMessage());
                    reasons.computeIfAbsent(reason.length() > 80 ? reason.substring(0, 80) : reason, k -> new AtomicInteger()).incrementAndGet();
                    all.countDown();
                    return null;
                });
            });
            try {
                all.await(Math.max(60, n / 50), java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("opened", opened.get());
            m.put("ready", ready.get());
            m.put("failed", failed.get());
            m.put("closedByServer", closedByServer.get());
            Map<String, Integer> rs = new LinkedHashMap<>();
            reasons.forEach((k, v) -> rs.put(k, v.get()));
            m.put("reasons", rs);
            m.put("handshake", encode(handshake));
            m.put("caughtUp", encode(caughtUp));
            try {
                return Client.JSON.writeValueAsString(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void add(JsonNode j) throws Exception {
            opened.addAndGet(j.get("opened").asInt());
            ready.addAndGet(j.get("ready").asInt());
            failed.addAndGet(j.get("failed").asInt());
            closedByServer.addAndGet(j.get("closedByServer").asInt());
            j.get("reasons").fields().forEachRemaining(e -> reasons.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).addAndGet(e.getValue().asInt()));
            handshake.add(decode(j.get("handshake").asText()));
            caughtUp.add(decode(j.get("caughtUp").asText()));
        }

        private static String encode(Histogram h) {
            ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int len = h.encodeIntoCompressedByteBuffer(buf);
            byte[] bytes = new byte[len];
            buf.flip();
            buf.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }

        private static Histogram decode(String s) throws Exception {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
        }
    }

    static Result run(Client client, Config config, Population pop) {
        int n = config.integer("connections");
        int concurrency = config.integer("connect-concurrency");
        int generators = config.str("generators").equals("auto") ? Math.max(1, (n + 14_999) / 15_000) : config.integer("generators");
        List<String> tokens = new ArrayList<>();
        pop.readers.forEach(a -> tokens.add(a.token()));
        pop.authors.forEach(a -> tokens.add(a.token()));
        ServerProbe probe = new ServerProbe(client, config);
        System.out.printf("connections: baseline memory of Flock (pid %s)%n", probe.pid > 0 ? probe.pid : "unknown");
        ServerProbe.Sample before = probe.settled(6, 700);
        Ramp ramp = new Ramp();
        long began = System.nanoTime();
        List<Process> children = new ArrayList<>();
        Streams streams = null;
        System.out.printf("connections: ramping to %,d idle streams with %d generator process(es), %d handshakes in flight each%n",
                n, generators, concurrency);
        Progress progress = new Progress(() -> String.format("connections: %,d open, %,d caught up, %,d failed (%.0f s)",
                ramp.opened.get(), ramp.ready.get(), ramp.failed.get(), (System.nanoTime() - began) / 1e9));
        try {
            if (generators == 1) {
                streams = new Streams(client.vertx, config.host, config.port, localAddresses(config, 1, 0), n);
                ramp.run(client.vertx, streams, tokens, n, concurrency);
            } else {
                progress.close();
                spawn(config, tokens, n, generators, concurrency, children, ramp);
            }
        } finally {
            progress.close();
        }
        double rampSeconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("connections: %,d open after %.1f s; holding %d s%n", ramp.opened.get(), rampSeconds, config.integer("hold"));
        Poster.sleep(config.integer("hold") * 1000L);
        ServerProbe.Sample held = probe.settled(8, 700);
        int closedWhileHeld = ramp.closedByServer.get();
        int stillOpen = ramp.opened.get() - closedWhileHeld;
        for (Process p : children) {
            try {
                p.getOutputStream().close();
            } catch (Exception ignored) {
                // already gone
            }
        }
        for (Process p : children) {
            try {
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroy();
                }
            } catch (InterruptedException e) {
                p.destroy();
            }
        }
        if (generators == 1) {
            Streams.closeAll(ramp.sockets);
        }
        Result r = new Result("connections");
        r.put("target streams", (long) n).put("generator processes", (long) generators)
                .put("opened", (long) ramp.opened.get()).put("caught up", (long) ramp.ready.get())
                .put("failed", (long) ramp.failed.get()).put("closed by server while held", (long) closedWhileHeld)
                .put("held at measurement (client side)", (long) stillOpen)
                .put("server flock_streams_open", held.streamsOpen())
                .put("ramp seconds", rampSeconds).put("connects/s", ramp.opened.get() / rampSeconds);
        r.putLatency("handshake", ramp.handshake);
        r.putLatency("connect→caught-up", ramp.caughtUp);
        double perConn = Math.max(1, stillOpen);
        r.put("server heap before (MiB)", before.heapBytes() / 1048576).put("server heap held (MiB)", held.heapBytes() / 1048576)
                .put("heap per connection (KiB)", (held.heapBytes() - before.heapBytes()) / perConn / 1024)
                .put("server RSS before (MiB)", before.rssBytes() / 1048576).put("server RSS held (MiB)", held.rssBytes() / 1048576)
                .put("RSS per connection (KiB)", (held.rssBytes() - before.rssBytes()) / perConn / 1024);
        r.notes.put("heap caveat", "no GC can be forced remotely: each heap figure is the minimum of several samples, and garbage left"
                + " uncollected in the baseline under-states the cost per connection; quote runs with more connections");
        if (!ramp.reasons.isEmpty()) {
            Map<String, Integer> rs = new LinkedHashMap<>();
            ramp.reasons.forEach((k, v) -> rs.put(k, v.get()));
            r.notes.put("connection failures", rs.toString());
        }
        r.latency = ramp.caughtUp;
        r.latencyLabel = "connect → caught-up";
        System.out.printf("connections: %,d held, heap %s KiB and RSS %s KiB per connection, failed %d%n", stillOpen,
                Result.fmt(r.num("heap per connection (KiB)")), Result.fmt(r.num("RSS per connection (KiB)")), ramp.failed.get());
        return r;
    }

    static List<String> localAddresses(Config config, int generators, int index) {
        String v = config.str("local-addresses");
        if (!v.equals("auto")) {
            return List.of(v.split(","));
        }
        boolean loopback = config.host.equals("localhost") || config.host.startsWith("127.");
        if (!loopback || generators == 1) {
            return Collections.singletonList(null);
        }
        return List.of("127.0.0." + (index + 1));
    }

    private static void spawn(Config config, List<String> tokens, int n, int generators, int concurrency,
                              List<Process> children, Ramp total) {
        try {
            Path tokenFile = Files.createTempFile("flock-load-tokens", ".txt");
            Files.write(tokenFile, tokens);
            tokenFile.toFile().deleteOnExit();
            String jar = Path.of(Connections.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            CountDownLatch ready = new CountDownLatch(generators);
            for (int g = 0; g < generators; g++) {
                int share = n / generators + (g < n % generators ? 1 : 0);
                List<String> locals = localAddresses(config, generators, g);
                List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx512m", "-cp", jar, Main.class.getName(), "--role", "conn-worker",
                        "--base", config.base, "--connections", String.valueOf(share), "--connect-concurrency", String.valueOf(concurrency),
                        "--tokens-file", tokenFile.toString()));
                if (locals.get(0) != null) {
                    cmd.add("--local-addresses");
                    cmd.add(String.join(",", locals));
                }
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                children.add(p);
                int gen = g;
                Thread reader = new Thread(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.startsWith("READY ")) {
                                synchronized (total) {
                                    total.add(Client.JSON.readTree(line.substring(6)));
                                }
                                ready.countDown();
                            } else {
                                System.out.println("  [generator " + gen + "] " + line.trim());
                            }
                        }
                    } catch (Exception e) {
                        System.out.println("  [generator " + gen + "] " + e);
                    }
                    ready.countDown();
                }, "generator-" + g);
                reader.setDaemon(true);
                reader.start();
            }
            ready.await(Math.max(120, n / 50), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not run the generator processes", e);
        }
    }

    /** The child side: ramp, report READY with the numbers, hold until standard input closes, then close. */
    static void worker(Config config) throws Exception {
        Vertx vertx = Vertx.vertx();
        int n = config.integer("connections");
        List<String> tokens = Files.readAllLines(Path.of(config.str("tokens-file")));
        Streams streams = new Streams(vertx, config.host, config.port, localAddresses(config, 1, 0), n);
        Ramp ramp = new Ramp();
        Progress progress = new Progress(() -> String.format("%,d open, %,d caught up, %,d failed", ramp.opened.get(), ramp.ready.get(), ramp.failed.get()));
        ramp.run(vertx, streams, tokens, n, config.integer("connect-concurrency"));
        progress.close();
        System.out.println("READY " + ramp.toJson());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold until the parent closes our standard input
        }
        Streams.closeAll(ramp.sockets);
        vertx.close();
        System.exit(0);
    }
}
