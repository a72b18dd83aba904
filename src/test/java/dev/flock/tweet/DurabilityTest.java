package dev.flock.tweet;

import dev.flock.testing.EmbeddedServicesControl;
import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** A 201 means durable: through a PostgreSQL outage nothing accepted is lost, and a Kafka outage accepts nothing. */
@QuarkusTest
class DurabilityTest {

    @Test
    void postsAcceptedWhilePostgresIsDownAreAllStoredOnceItReturns() {
        TestAccount a = signUp("durable");
        List<String> accepted = new ArrayList<>();
        EmbeddedServicesControl.stopPostgres();
        try {
            for (int i = 0; i < 20; i++) {
                accepted.add(post(a, "written while the database is down " + i));
            }
        } finally {
            EmbeddedServicesControl.startPostgres();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> stored = api().get("/api/accounts/" + a.username() + "/tweets?limit=100").path("items.id");
            assertThat(stored).containsExactlyInAnyOrderElementsOf(accepted);
        });
        api().get("/api/accounts/" + a.username()).then().body("tweetsCount", equalTo(20));
        accepted.forEach(id -> api().get("/api/tweets/" + id).then().statusCode(200));
    }

    @Test
    void postsRefusedWhileKafkaIsDownAre503WithinTheTimeoutAndNeverAppear() {
        TestAccount a = signUp("refused");
        EmbeddedServicesControl.stopKafka();
        List<Response> answers;
        Duration took;
        try {
            long started = System.nanoTime();
            answers = IntStream.range(0, 3)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> a.as().body(Map.of("text", "refused " + i)).post("/api/tweets")))
                    .toList().stream().map(CompletableFuture::join).toList();
            took = Duration.ofNanos(System.nanoTime() - started);
        } finally {
            EmbeddedServicesControl.startKafka();
        }
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.contentType()).startsWith("application/problem+json");
        });
        // kafka.delivery.timeout.ms is 8 s; the answer never waits much longer than that.
        assertThat(took).isLessThan(Duration.ofSeconds(15));

        List<String> accepted = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Response r = a.as().body(Map.of("text", "after the outage")).post("/api/tweets");
            if (r.statusCode() == 201) {
                accepted.add(r.path("id"));
                return true;
            }
            return false;
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                api().get("/api/tweets/" + accepted.get(0)).then().statusCode(200));
        List<String> texts = api().get("/api/accounts/" + a.username() + "/tweets").path("items.text");
        assertThat(texts).containsExactly("after the outage");
    }
}
