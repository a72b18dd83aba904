package dev.flock.live;

import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.flock.testing.TestApi.metric;
import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams that close at any moment of their open (during the upgrade, the replay, or right after caught-up) never stay
 * in the interest index: after 10,000 rapid open/close cycles its size is back where it started.
 */
@QuarkusTest
class StreamLifecycleTest {

    private static final int CYCLES = 10_000;
    private static final int IN_FLIGHT = 32;
    private final AtomicInteger refused = new AtomicInteger();
    private final java.util.Map<String, Integer> refusals = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void tenThousandRapidOpenCloseCyclesLeaveTheInterestIndexAsItWas() throws Exception {
        // Readers that each follow the same five authors; each reader cycles at most a few streams at once (an account
        // may hold eight on an instance).
        List<TestAccount> readers = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT / 4; i++) {
            readers.add(signUp("cycle"));
        }
        List<TestAccount> authors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestAccount author = signUp("cyclea");
            readers.forEach(reader -> follow(reader, author));
            authors.add(author);
        }
        // A cursor from before these tweets: every open with it replays, so many closes land in the middle of one.
        String cursor = readers.get(0).as().get("/api/timeline/home?limit=1").path("streamCursor");
        for (TestAccount author : authors) {
            post(author, "something to replay");
        }
        long entriesBefore = metric("flock_interest_index_entries");
        long streamsBefore = metric("flock_streams_open");

        Vertx vertx = Vertx.vertx();
        try {
            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(IN_FLIGHT * 2));
            AtomicInteger done = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            CompletableFuture<Void> finished = new CompletableFuture<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                cycle(vertx, client, readers.get(i % readers.size()).token(), cursor, started, done, finished);
            }
            finished.get(5, TimeUnit.MINUTES);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        // Each reader holds at most four at once (eight allowed), each address a few per second (twenty allowed).
        assertThat(refused.get()).as("upgrades refused: " + refusals).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(metric("flock_interest_index_entries")).isEqualTo(entriesBefore);
            assertThat(metric("flock_streams_open")).isEqualTo(streamsBefore);
        });
    }

    /** One connection after another: closed at once, after a few milliseconds, or after its first frame. */
    private void cycle(Vertx vertx, WebSocketClient client, String token, String cursor, AtomicInteger started,
                       AtomicInteger done, CompletableFuture<Void> finished) {
        int n = started.incrementAndGet();
        if (n > CYCLES) {
            return;
        }
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(RestAssured.port)
                .setURI("/api/stream" + (n % 2 == 0 ? "?cursor=" + cursor : ""))
                .addHeader("Authorization", "Bearer " + token)
                .addHeader("X-Forwarded-For", "192.0.2." + (1 + n % 250));
        Future<?> connected = client.connect(options).compose(ws -> {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            ws.closeHandler(v -> closed.complete(null));
            switch (n % 3) {
                case 0 -> ws.close();
                case 1 -> vertx.setTimer(1 + n % 5, t -> ws.close());
                default -> ws.textMessageHandler(text -> ws.close());
            }
            return Future.fromCompletionStage(closed);
        });
        connected.onComplete(r -> {
            if (r.failed()) {
                refused.incrementAndGet();
                refusals.merge(r.cause() instanceof io.vertx.core.http.UpgradeRejectedException u ? u.getStatus() + " " + u.getBody()
                        : r.cause().getClass().getSimpleName(), 1, Integer::sum);
            }
            if (done.incrementAndGet() == CYCLES) {
                finished.complete(null);
            } else {
                cycle(vertx, client, token, cursor, started, done, finished);
            }
        });
    }
}
