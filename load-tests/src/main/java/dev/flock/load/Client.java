package dev.flock.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** The harness's HTTP side: one pooled keep-alive Vert.x client, answers with the bytes they cost on the wire. */
final class Client {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, body, and approximate bytes both ways (request line + headers + body; status line + headers + body). */
    record Resp(int status, String body, long requestBytes, long responseBytes) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
            }
        }
    }

    final Vertx vertx;
    final HttpClientAgent http;
    final String host;
    final int port;

    Client(Vertx vertx, String host, int port, int poolSize) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(host)
                        .setDefaultPort(port).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1));
    }

    Future<Resp> call(HttpMethod method, String uri, String token, Object body, String forwardedFor) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port)
                .setURI(uri).setTimeout(30_000);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            options.putHeader("X-Forwarded-For", forwardedFor);
        }
        Buffer payload = null;
        if (body != null) {
            try {
                payload = Buffer.buffer(JSON.writeValueAsBytes(body));
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
            options.putHeader("Content-Type", "application/json");
        }
        Buffer sent = payload;
        return http.request(options).compose(req -> {
            long reqBytes = method.name().length() + 1 + uri.length() + 11 + headerBytes(req.headers())
                    + ("Host: " + host + ":" + port + "\r\n").length() + 2;
            if (sent != null) {
                reqBytes += sent.length() + ("Content-Length: " + sent.length() + "\r\n").length();
            }
            long requestBytes = reqBytes;
            return (sent == null ? req.send() : req.send(sent)).compose(resp -> resp.body().map(b ->
                    new Resp(resp.statusCode(), b.toString(), requestBytes,
                            13 + resp.statusMessage().length() + headerBytes(resp.headers()) + 2 + b.length())));
        });
    }

    private static long headerBytes(io.vertx.core.MultiMap headers) {
        long n = 0;
        for (Map.Entry<String, String> h : headers) {
            n += h.getKey().length() + 2 + h.getValue().length() + 2;
        }
        return n;
    }

    /** The Prometheus text of /q/metrics. */
    String metrics() {
        return await(call(HttpMethod.GET, "/q/metrics", null, null, null), 20).body();
    }

    /** Sums every sample of a metric whose labels contain all the given fragments; NaN when there is none. */
    static double metric(String text, String name, String... labelParts) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            String key = line.substring(0, sp);
            String metricName = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (!metricName.equals(name)) {
                continue;
            }
            boolean all = true;
            for (String part : labelParts) {
                all &= key.contains(part);
            }
            if (all) {
                try {
                    sum += Double.parseDouble(line.substring(sp + 1));
                    found = true;
                } catch (NumberFormatException ignored) {
                    // NaN or a timestamp column: skip
                }
            }
        }
        return found ? sum : Double.NaN;
    }

    static <T> T await(Future<T> f, long seconds) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs task(0..total-1) with at most {@code concurrency} in flight; fails with the first failure. */
    static Future<Void> bounded(Vertx vertx, int total, int concurrency, IntFunction<Future<?>> task) {
        Promise<Void> done = Promise.promise();
        if (total == 0) {
            done.complete();
            return done.future();
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= total) {
                return;
            }
            Future<?> f;
            try {
                f = task.apply(i);
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                if (ar.failed()) {
                    done.tryFail(ar.cause());
                    return;
                }
                if (finished.incrementAndGet() == total) {
                    done.tryComplete();
                } else {
                    launch[0].run();
                }
            });
        };
        vertx.runOnContext(v -> {
            for (int i = 0; i < Math.min(concurrency, total); i++) {
                launch[0].run();
            }
        });
        return done.future();
    }
}
