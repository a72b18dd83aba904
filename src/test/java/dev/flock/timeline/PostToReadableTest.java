package dev.flock.timeline;

import dev.flock.testing.LatencyReport;
import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every tweet that got a 201 shows up in a follower's home timeline. As a by-product it records how long that took
 * (201 to readable) into target/post-to-readable.txt; the figure is reported, not asserted.
 */
@QuarkusTest
class PostToReadableTest {

    @Test
    void everyAcceptedTweetReachesFollowersHomeTimeline() throws IOException {
        TestAccount author = signUp("steady");
        TestAccount reader = signUp("watcher");
        follow(reader, author);
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String id = post(author, "steady " + i);
            long accepted = System.nanoTime();
            long deadline = accepted + Duration.ofSeconds(20).toNanos();
            String newest = null;
            while (!id.equals(newest) && System.nanoTime() < deadline) {
                List<String> items = reader.as().get("/api/timeline/home?limit=1").path("items.id");
                newest = items.isEmpty() ? null : items.get(0);
            }
            assertThat(newest).as("tweet %s readable from the home timeline", id).isEqualTo(id);
            micros.add((System.nanoTime() - accepted) / 1000);
        }
        LatencyReport.write("post-to-readable.txt", "201 -> readable in the home timeline", micros);
    }
}
