package dev.flock.platform;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared limits on the real PostgreSQL: several limiters of one name (what several instances hold) allow the limit
 * once between them, a refusal says when to retry, and one check costs one round trip (measured here, written to
 * target/rate-limit-cost.txt).
 */
@QuarkusTest
class SharedRateLimitsTest {

    @Inject
    SharedRateLimits limits;

    @Test
    void limitersOfOneNameShareTheLimitLikeInstancesDo() {
        String name = "shared-" + UUID.randomUUID();
        List<RateLimiter> instances = List.of(limits.limiter(name, RateLimit.of(5, Duration.ofHours(1))),
                limits.limiter(name, RateLimit.of(5, Duration.ofHours(1))), limits.limiter(name, RateLimit.of(5, Duration.ofHours(1))));
        Map<Integer, Integer> answers = new TreeMap<>();
        ProblemException refused = null;
        for (int i = 0; i < 12; i++) {
            ProblemException outcome = outcome(instances.get(i % 3).check("account-1", "Things done"));
            answers.merge(outcome == null ? 200 : outcome.problem().status(), 1, Integer::sum);
            refused = refused == null ? outcome : refused;
        }
        assertThat(answers).isEqualTo(Map.of(200, 5, 429, 7));
        assertThat(refused.problem().detail()).isEqualTo("Things done too often; try again later");
        // One request stands for 12 minutes of this limit: that is the longest a refused client may have to wait.
        assertThat(refused.toResponse().getHeaderString("Retry-After")).isEqualTo("720");
        // Another key of the same limit, and the same key of another limit, are not affected.
        assertThat(outcome(instances.get(0).check("account-2", "Things done"))).isNull();
        assertThat(outcome(limits.limiter(name + "-other", RateLimit.of(5, Duration.ofHours(1))).check("account-1", "x"))).isNull();
    }

    @Test
    void aSharedBucketRefillsAtTheLimitsRate() {
        String name = "refill-" + UUID.randomUUID();
        RateLimiter a = limits.limiter(name, RateLimit.of(2, Duration.ofMillis(400)));
        RateLimiter b = limits.limiter(name, RateLimit.of(2, Duration.ofMillis(400)));
        assertThat(outcome(a.check("k", "x"))).isNull();
        assertThat(outcome(b.check("k", "x"))).isNull();
        assertThat(outcome(a.check("k", "x"))).isNotNull();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> outcome(b.check("k", "x")) == null);
    }

    /** The cost of the posting check: one shared check per post, on the embedded PostgreSQL of this machine. */
    @Test
    void oneCheckIsOneRoundTripMeasured() throws Exception {
        RateLimiter posts = limits.limiter("cost-" + UUID.randomUUID(), RateLimit.of(60, Duration.ofMinutes(1)));
        for (int i = 0; i < 500; i++) {
            assertThat(outcome(posts.check("warm-" + i, "x"))).isNull();
        }
        int n = 5_000;
        List<Long> sequential = new ArrayList<>(n);
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            assertThat(outcome(posts.check("author-" + (i % 1000), "x"))).isNull();
            sequential.add(System.nanoTime() - t);
        }
        double sequentialPerSecond = n / ((System.nanoTime() - started) / 1e9);

        // 16 checks in flight at a time, as concurrent posts make them.
        int concurrent = 20_000;
        List<Uni<Void>> inFlight = new ArrayList<>();
        started = System.nanoTime();
        for (int i = 0; i < concurrent; i++) {
            inFlight.add(posts.check("busy-" + (i % 2000), "x"));
            if (inFlight.size() == 16) {
                Uni.join().all(inFlight).andFailFast().await().indefinitely();
                inFlight.clear();
            }
        }
        double concurrentPerSecond = concurrent / ((System.nanoTime() - started) / 1e9);

        Collections.sort(sequential);
        String report = String.format("Shared rate limit check (one INSERT ... ON CONFLICT DO UPDATE on the embedded PostgreSQL): "
                        + "sequential %d checks: median %.0f us, p99 %.0f us, %.0f checks/s; 16 in flight: %.0f checks/s%n",
                n, sequential.get(n / 2) / 1e3, sequential.get((int) (n * 0.99)) / 1e3, sequentialPerSecond, concurrentPerSecond);
        System.out.print(report);
        Files.writeString(Path.of("target", "rate-limit-cost.txt"), report);
    }

    private static ProblemException outcome(Uni<Void> check) {
        try {
            check.await().atMost(Duration.ofSeconds(5));
            return null;
        } catch (ProblemException e) {
            return e;
        }
    }
}
