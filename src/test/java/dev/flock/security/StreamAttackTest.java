package dev.flock.security;

import dev.flock.testing.AttackProbe;
import dev.flock.testing.EmbeddedServicesControl;
import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static dev.flock.testing.TestApi.metric;
import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, the live stream under attack: what one account or one address can do with valid upgrades, and what a
 * Kafka outage does to follows, unfollows and deletes. Each attack on streams is measured with {@link AttackProbe}
 * (heap after GC, readiness throughout, a bystander's POST-to-frame p99 against a quiet one); figures go to
 * target/attacks.txt for docs/reliability.md.
 */
@QuarkusTest
class StreamAttackTest {

    private static final int STREAMS_PER_ACCOUNT = 8;
    private static final int UPGRADES_PER_SECOND = 20;

    @Test
    void oneAccountAskingForAThousandStreamsGetsEight() throws Exception {
        TestAccount attacker = signUp("manystreams");
        long before = metric("flock_streams_open");
        Map<String, Integer> answers = new TreeMap<>();
        List<WebSocket> held = Collections.synchronizedList(new ArrayList<>());
        Vertx vertx = Vertx.vertx();
        try {
            AttackProbe.Result result;
            try (AttackProbe probe = AttackProbe.inThisJvm()) {
                result = probe.measure("one account asking for 1,000 streams, 8 upgrades in flight, each from its own address", () ->
                        upgrades(vertx, 1_000, 8, 0, i -> options(attacker.token(), "203.0.113." + (i % 250) + "", null), (i, ws) -> {
                            held.add(ws);
                            return Future.succeededFuture();
                        }, answers));
            }
            result.refused(answers.toString()).record();
            assertThat(answers).isEqualTo(Map.of("101", STREAMS_PER_ACCOUNT, "429 streams per account", 1_000 - STREAMS_PER_ACCOUNT));
            assertThat(metric("flock_streams_open")).isEqualTo(before + STREAMS_PER_ACCOUNT);
            // Measured here: p99 2-8x the quiet one while the attack's own client, in this JVM, takes the cores
            // (docs/reliability.md); bounded so that a regression (work per refused upgrade) still fails.
            result.assertBounds(500);
        } finally {
            held.forEach(ws -> ws.close());
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("flock_streams_open") == before);
    }

    @Test
    void tenThousandOpenAndCloseCyclesFromOneAddressAreHeldToItsUpgradeRate() throws Exception {
        List<TestAccount> accounts = IntStream.range(0, 8).mapToObj(i -> signUp("cycler")).toList();
        long streamsBefore = metric("flock_streams_open");
        long entriesBefore = metric("flock_interest_index_entries");
        Map<String, Integer> answers = new TreeMap<>();
        long[] took = new long[1];
        Vertx vertx = Vertx.vertx();
        try {
            AttackProbe.Result result;
            try (AttackProbe probe = AttackProbe.inThisJvm()) {
                result = probe.measure("10,000 stream open/close cycles in 60 s from one address", () -> {
                    long started = System.nanoTime();
                    upgrades(vertx, 10_000, 32, 10_000 / 60.0, i -> options(accounts.get(i % accounts.size()).token(), "198.51.100.7", null),
                            (i, ws) -> ws.close(), answers);
                    took[0] = System.nanoTime() - started;
                });
            }
            result.refused(answers.toString()).record();
            double seconds = took[0] / 1e9;
            assertThat(answers.keySet()).containsOnly("101", "429 upgrades per address");
            // The burst plus the rate over the time the attack took; the rest were refused before any work was done.
            assertThat(answers.get("101")).isBetween(1, UPGRADES_PER_SECOND + (int) Math.ceil(seconds * UPGRADES_PER_SECOND) + 1);
            // Measured here: p99 1.3-2.7x a quiet one of 15-28 ms (docs/reliability.md); a ceiling keeps it from flaking.
            result.assertBounds(250);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(metric("flock_streams_open")).isEqualTo(streamsBefore);
            assertThat(metric("flock_interest_index_entries")).isEqualTo(entriesBefore);
        });
    }

    @Test
    void aHundredStreamsResumingAtOnceFromAnOldCursorAreEachServedExactlyOnce() throws Exception {
        List<TestAccount> authors = IntStream.range(0, 2).mapToObj(i -> signUp("resumea")).toList();
        List<TestAccount> readers = parallel(100, i -> {
            TestAccount reader = signUp("resumer");
            authors.forEach(author -> follow(reader, author));
            return reader;
        });
        String oldest = readers.get(0).as().get("/api/timeline/home?limit=1").path("streamCursor");
        List<String> posted = parallel(240, i -> post(authors.get(i % 2), "to replay " + i));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                readers.get(0).as().get("/api/timeline/home?limit=1").<List<String>>path("items.id").contains(maxId(posted)));

        List<List<String>> received = Collections.synchronizedList(new ArrayList<>());
        List<String> closeCodes = Collections.synchronizedList(new ArrayList<>());
        long[] caughtUpAfter = new long[1];
        AttackProbe.Result result;
        Vertx vertx = Vertx.vertx();
        try (AttackProbe probe = AttackProbe.inThisJvm()) {
            result = probe.measure("100 streams resuming at once from a cursor 240 tweets old (24,000 frames replayed)", () -> {
                // Plain clients that keep only the tweet ids: the test's own work (and heap) stays small next to the
                // server's, which is what is measured.
                WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(200));
                long started = System.nanoTime();
                List<CompletableFuture<WebSocket>> caughtUp = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    List<String> ids = Collections.synchronizedList(new ArrayList<>());
                    received.add(ids);
                    CompletableFuture<WebSocket> done = new CompletableFuture<>();
                    caughtUp.add(done);
                    client.connect(options(readers.get(i).token(), "192.0.2." + (1 + i), oldest)).onComplete(r -> {
                        if (r.failed()) {
                            done.completeExceptionally(r.cause());
                            return;
                        }
                        WebSocket ws = r.result();
                        ws.closeHandler(v -> closeCodes.add(String.valueOf(ws.closeStatusCode())));
                        ws.textMessageHandler(text -> {
                            io.vertx.core.json.JsonObject frame = new io.vertx.core.json.JsonObject(text);
                            switch (frame.getString("type")) {
                                case "tweet" -> ids.add(frame.getJsonObject("tweet").getString("id"));
                                case "caught-up" -> done.complete(ws);
                                default -> done.completeExceptionally(new AssertionError("unexpected frame " + text));
                            }
                        });
                    });
                }
                List<WebSocket> sockets = new ArrayList<>();
                for (CompletableFuture<WebSocket> done : caughtUp) {
                    sockets.add(done.get(2, TimeUnit.MINUTES));
                }
                caughtUpAfter[0] = System.nanoTime() - started;
                assertThat(closeCodes).as("streams closed while open").isEmpty();
                sockets.forEach(WebSocket::close);
            });
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        result.refused("none: 100 x 101, every stream caught up " + caughtUpAfter[0] / 1_000_000 + " ms after the first upgrade").record();
        assertThat(received).hasSize(100).allSatisfy(ids ->
                assertThat(ids).as("replayed exactly once each").containsExactlyInAnyOrderElementsOf(posted));
        // Measured here with replays paced at 5,000 frames/s: p99 about 2x a quiet one of 34 ms (docs/reliability.md).
        result.assertBounds(250);
    }

    @Test
    void followsUnfollowsAndDeletesDuringAThirtySecondKafkaOutageAnswerAndReachStreamsAfter() throws Exception {
        TestAccount reader = signUp("outager");
        TestAccount kept = signUp("outkept");
        TestAccount added = signUp("outadded");
        TestAccount dropped = signUp("outdropped");
        TestAccount churned = signUp("outchurn");
        follow(reader, kept);
        follow(reader, dropped);
        Map<String, Long> answeredMillis = new TreeMap<>();
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            stream.awaitCaughtUp();
            String doomed = post(kept, "deleted while Kafka is down");
            stream.awaitTweet(doomed);
            long stopped = System.nanoTime();
            EmbeddedServicesControl.stopKafka();
            try {
                answeredMillis.put("follow", timed(() -> reader.as().put("/api/accounts/" + added.username() + "/follow"), 204));
                answeredMillis.put("unfollow", timed(() -> reader.as().delete("/api/accounts/" + dropped.username() + "/follow"), 204));
                answeredMillis.put("delete", timed(() -> kept.as().delete("/api/tweets/" + doomed), 204));
                // REST reads see the changes at once.
                assertThat(reader.as().get("/api/accounts/" + reader.username() + "/following").<List<String>>path("items.username"))
                        .contains(added.username()).doesNotContain(dropped.username());
                // For the rest of the 30 s outage, follow and unfollow another account over and over: every change
                // answers (the outbox keeps it for the relay), none waits for the broker beyond the publish wait.
                int changes = 0;
                long slowest = 0;
                while (System.nanoTime() - stopped < 30_000_000_000L || changes % 2 == 1) {
                    String path = "/api/accounts/" + churned.username() + "/follow";
                    boolean followNow = changes % 2 == 0;
                    slowest = Math.max(slowest, timed(() -> followNow ? reader.as().put(path) : reader.as().delete(path), 204));
                    changes++;
                }
                answeredMillis.put("slowest of " + changes + " follow changes of another account", slowest);
            } finally {
                EmbeddedServicesControl.startKafka();
            }
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.deletedIds().contains(doomed));
            long deleteArrived = (System.nanoTime() - restarted) / 1_000_000;
            // After the broker is back: the new followee's tweets reach the stream, the dropped one's do not.
            String notWanted = awaitPosted(dropped, "after the unfollow");
            String wanted = awaitPosted(added, "after the follow");
            String own = post(reader, "my own, after both");
            stream.awaitTweet(wanted);
            stream.awaitTweet(own);
            assertThat(stream.tweetIds()).doesNotContain(notWanted).containsOnlyOnce(wanted);
            assertThat(answeredMillis.values()).allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
            Files.writeString(Path.of("target", "attacks.txt"), String.format("Kafka stopped 30 s: follow / unfollow / delete "
                            + "answered 204 in %s ms; the delete frame reached the open stream %d ms after the broker restarted; "
                            + "the new followee's tweet arrived, the unfollowed account's did not%n", answeredMillis, deleteArrived),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    // --- helpers ---

    private interface Held {
        Future<?> accepted(int index, WebSocket ws);
    }

    /** {@code total} upgrades, {@code inFlight} at a time; answers counted as "101" or "status what-refused-it". */
    private static void upgrades(Vertx vertx, int total, int inFlight, double perSecond, IntFunction<WebSocketConnectOptions> options,
                                 Held held, Map<String, Integer> answers) throws Exception {
        long began = System.nanoTime();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(inFlight * 2));
        Map<String, Integer> counted = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= total) {
                return;
            }
            // Attempt i starts no earlier than i / perSecond seconds in (0: as fast as the answers come).
            long wait = perSecond <= 0 ? 0 : (began + (long) (i * 1e9 / perSecond) - System.nanoTime()) / 1_000_000;
            Future<?> due = wait <= 0 ? Future.succeededFuture() : vertx.timer(wait);
            due.compose(t -> client.connect(options.apply(i))).compose(ws -> held.accepted(i, ws).map("101"))
                    .recover(failure -> Future.succeededFuture(describe(failure)))
                    .onComplete(answer -> {
                        counted.merge(answer.result(), 1, Integer::sum);
                        if (done.incrementAndGet() == total) {
                            finished.complete(null);
                        } else {
                            step[0].run();
                        }
                    });
        };
        for (int i = 0; i < inFlight; i++) {
            vertx.runOnContext(v -> step[0].run());
        }
        finished.get(3, TimeUnit.MINUTES);
        answers.putAll(counted);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof UpgradeRejectedException refused) {
            String body = refused.getBody() == null ? "" : refused.getBody().toString();
            String what = body.contains("from this address") ? "upgrades per address"
                    : body.contains("streams open on this instance") ? "streams per account" : body;
            return refused.getStatus() + " " + what;
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static WebSocketConnectOptions options(String token, String address, String cursor) {
        return new WebSocketConnectOptions().setHost("localhost").setPort(RestAssured.port)
                .setURI("/api/stream" + (cursor == null ? "" : "?cursor=" + cursor))
                .addHeader("Authorization", "Bearer " + token).addHeader("X-Forwarded-For", address);
    }

    private static <T> List<T> parallel(int n, IntFunction<T> task) {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<T>> futures = IntStream.range(0, n)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> task.apply(i), threads)).toList();
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdown();
        }
    }

    private static String maxId(List<String> ids) {
        return ids.stream().max((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).orElseThrow();
    }

    private static long timed(java.util.function.Supplier<Response> request, int expected) {
        long started = System.nanoTime();
        Response response = request.get();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(expected);
        return millis;
    }

    /** Posts as soon as the broker takes posts again (503 until then). */
    private static String awaitPosted(TestAccount author, String text) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Response r = author.as().body(Map.of("text", text)).post("/api/tweets");
            if (r.statusCode() == 201) {
                id[0] = r.path("id");
                return true;
            }
            return false;
        });
        return id[0];
    }
}
