package dev.flock.live;

import dev.flock.testing.LatencyReport;
import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every one of 2,000 tweets from 10 authors reaches a follower's open stream exactly once. As a by-product it records
 * the POST-to-frame latency into target/delivery-latency.txt; the figure is reported, not asserted.
 */
@QuarkusTest
class DeliveryLatencyTest {

    @Test
    void everyTweetReachesTheFollowersStreamExactlyOnce() throws Exception {
        TestAccount reader = signUp("latency");
        List<TestAccount> authors = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TestAccount author = signUp("latauth");
            follow(reader, author);
            authors.add(author);
        }
        Map<String, Long> postStarted = new ConcurrentHashMap<>();
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            stream.awaitCaughtUp();
            stream.socket().textMessageHandler(text -> {
                JsonObject frame = new JsonObject(text);
                if ("tweet".equals(frame.getString("type"))) {
                    String text0 = frame.getJsonObject("tweet").getString("text");
                    if (arrived.putIfAbsent(text0, System.nanoTime()) != null) {
                        arrived.put(text0 + "#duplicate", System.nanoTime());
                    }
                }
            });
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> jobs = new ArrayList<>();
            for (TestAccount author : authors) {
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        String text = author.username() + " " + i;
                        postStarted.put(text, System.nanoTime());
                        author.as().body(Map.of("text", text)).post("/api/tweets").then().statusCode(201);
                    }
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(30)).until(() -> arrived.keySet().containsAll(postStarted.keySet()));
        }
        assertThat(arrived.keySet()).noneMatch(k -> k.endsWith("#duplicate"));
        assertThat(arrived).hasSize(2000);

        List<Long> micros = new ArrayList<>();
        postStarted.forEach((text, start) -> micros.add((arrived.get(text) - start) / 1000));
        LatencyReport.write("delivery-latency.txt", "POST -> frame (10 authors, 4 posting threads, 1 stream)", micros);
    }
}
