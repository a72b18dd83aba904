package dev.flock.tweet;

import dev.flock.testing.EmbeddedServicesControl;
import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A 201 means durable: through a PostgreSQL outage nothing accepted is lost, a Kafka outage accepts nothing, and a
 * follower's open stream gets every accepted tweet exactly once across both. Figures go to target/reliability.txt.
 */
@QuarkusTest
class DurabilityTest {

    /** The outage length: 30 s by default, longer in the soak profile (-Pfaults-soak). */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("flock.faults.outage-seconds", 30));
    /**
     * Heap growth after a fault that still counts as "back to baseline". The service, the test client and the embedded
     * Kafka broker share this JVM, and a restarted broker builds its state anew (about 35 MiB measured).
     */
    private static final long HEAP_SLACK = 128L * 1024 * 1024;

    @Test
    void postsAcceptedWhilePostgresIsDownAreStoredAndDeliveredExactlyOnce() throws Exception {
        long heapBefore = heapAfterGc();
        TestAccount a = signUp("durable");
        TestAccount follower = signUp("durablef");
        follow(follower, a);
        List<String> accepted = new ArrayList<>();
        try (TestStream stream = TestStream.open(follower.token(), null)) {
            stream.awaitCaughtUp();
            accepted.add(post(a, "before the outage"));
            EmbeddedServicesControl.stopPostgres();
            long restarted;
            try {
                // No database for the whole outage, posting twice a second all along.
                long until = System.nanoTime() + OUTAGE.toNanos();
                for (int i = 0; System.nanoTime() < until; i++) {
                    accepted.add(post(a, "written while the database is down " + i));
                    Thread.sleep(500);
                }
                // Delivered live while PostgreSQL is still down: the stream does not depend on it.
                stream.awaitTweet(accepted.get(accepted.size() - 1));
            } finally {
                EmbeddedServicesControl.startPostgres();
                restarted = System.nanoTime();
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> stored = api().get("/api/accounts/" + a.username() + "/tweets?limit=100").path("items.id");
                assertThat(stored).containsExactlyInAnyOrderElementsOf(accepted);
            });
            long storedAfter = (System.nanoTime() - restarted) / 1_000_000;
            api().get("/api/accounts/" + a.username()).then().body("tweetsCount", equalTo(accepted.size()));
            assertThat(stream.tweetIds()).containsExactlyElementsOf(accepted);
            long heapAfter = heapAfterGc();
            assertThat(heapAfter).as("heap after the fault, against %d before", heapBefore).isLessThan(heapBefore + HEAP_SLACK);
            record("PostgreSQL stopped for %d s: %d posts during the outage, all 201; stored %d/%d (lost 0, duplicated 0) %d ms after "
                    + "restart; stream got %d frames (lost 0, duplicated 0); heap after GC %d MiB before, %d MiB after",
                    OUTAGE.toSeconds(), accepted.size() - 1, accepted.size(), accepted.size(), storedAfter, stream.tweetIds().size(),
                    heapBefore >> 20, heapAfter >> 20);
        }
    }

    @Test
    void postsRefusedWhileKafkaIsDownAre503AndNeverAppearAndStreamsCarryOn() throws IOException {
        long heapBefore = heapAfterGc();
        TestAccount a = signUp("refused");
        TestAccount follower = signUp("refusedf");
        follow(follower, a);
        try (TestStream stream = TestStream.open(follower.token(), null)) {
            stream.awaitCaughtUp();
            List<String> accepted = new ArrayList<>();
            accepted.add(post(a, "before the outage"));
            stream.awaitTweet(accepted.get(0));
            EmbeddedServicesControl.stopKafka();
            List<Response> answers;
            Duration took;
            long restarted;
            try {
                long started = System.nanoTime();
                answers = IntStream.range(0, 3)
                        .mapToObj(i -> CompletableFuture.supplyAsync(() -> a.as().body(Map.of("text", "refused " + i)).post("/api/tweets")))
                        .toList().stream().map(CompletableFuture::join).toList();
                took = Duration.ofNanos(System.nanoTime() - started);
            } finally {
                EmbeddedServicesControl.startKafka();
                restarted = System.nanoTime();
            }
            assertThat(answers).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.contentType()).startsWith("application/problem+json");
            });
            // kafka.delivery.timeout.ms is 8 s; the answer never waits much longer than that.
            assertThat(took).isLessThan(Duration.ofSeconds(15));

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Response r = a.as().body(Map.of("text", "after the outage")).post("/api/tweets");
                if (r.statusCode() == 201) {
                    accepted.add(r.path("id"));
                    return true;
                }
                return false;
            });
            long recovered = (System.nanoTime() - restarted) / 1_000_000;
            for (int i = 0; i < 5; i++) {
                accepted.add(post(a, "later " + i));
            }
            stream.awaitTweet(accepted.get(accepted.size() - 1));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    api().get("/api/tweets/" + accepted.get(accepted.size() - 1)).then().statusCode(200));
            List<String> texts = api().get("/api/accounts/" + a.username() + "/tweets").path("items.text");
            assertThat(texts).noneMatch(t -> t.startsWith("refused"));
            assertThat(texts).hasSize(accepted.size());
            assertThat(stream.tweetIds()).containsExactlyElementsOf(accepted);
            long heapAfter = heapAfterGc();
            assertThat(heapAfter).as("heap after the fault, against %d before", heapBefore).isLessThan(heapBefore + HEAP_SLACK);
            record("Kafka stopped: 3 posts during the outage, all 503 within %d ms; none stored or pushed; posting again %d ms after "
                    + "the broker restarted; stream open throughout got %d/%d accepted (lost 0, duplicated 0); heap after GC %d MiB before, %d MiB after",
                    took.toMillis(), recovered, stream.tweetIds().size(), accepted.size(), heapBefore >> 20, heapAfter >> 20);
        }
    }

    /** Heap in use once garbage is collected: the lowest of a few samples around explicit collections. */
    static long heapAfterGc() {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            lowest = Math.min(lowest, java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }

    static void record(String format, Object... args) throws IOException {
        Files.writeString(Path.of("target", "reliability.txt"), String.format(format, args) + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
