package dev.flock.security;

import dev.flock.testing.AttackProbe;
import dev.flock.testing.FlockProcess;
import dev.flock.testing.ProductionEnvironment;
import dev.flock.testing.TestApi.TestAccount;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.flock.testing.TestApi.signUp;
import static dev.flock.testing.TestApi.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged Flock processes (prod profile) on one PostgreSQL: the limits hold for the sum of both, not per instance.
 * Instance A trusts loopback as a proxy (as the tests' clients need, like an ingress); instance B runs with the
 * production default, trusting no proxy, so X-Forwarded-For from its clients is ignored.
 */
class LimitsAcrossInstancesIT {

    private static final int POSTS_PER_MINUTE = 600;
    private static final int FOLLOWS_PER_HOUR = 20;

    private static FlockProcess a;
    private static FlockProcess b;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = ProductionEnvironment.forTests();
        env.put("FLOCK_POSTS_PER_MINUTE", String.valueOf(POSTS_PER_MINUTE));
        env.put("FLOCK_FOLLOWS_PER_HOUR", String.valueOf(FOLLOWS_PER_HOUR));
        // What is measured is the shared count. On this loaded machine PostgreSQL once took over the default 500 ms to
        // answer a check, and that instance then counted alone for a moment, as documented; a longer wait keeps the
        // fallback out of this measurement (DurabilityTest posts through it while PostgreSQL is down).
        env.put("FLOCK_RATE_LIMITS_SHARED_TIMEOUT", "5s");
        a = FlockProcess.start("limits-a", env);
        env.remove("FLOCK_TRUSTED_PROXIES");
        b = FlockProcess.start("limits-b", env);
        RestAssured.port = a.port;
    }

    @AfterAll
    static void stop() throws Exception {
        for (FlockProcess p : new FlockProcess[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void thePostingLimitHoldsForTheSumOfBothInstances() throws Exception {
        TestAccount attacker = signUp("twolimit");
        Map<String, Integer> statuses = new TreeMap<>();
        long[] took = new long[1];
        AttackProbe.Result result;
        try (AttackProbe probe = AttackProbe.of(a)) {
            result = probe.measure("one account posting 1,500 times through two instances, 8 at a time (limit "
                    + POSTS_PER_MINUTE + " a minute)", () -> {
                ExecutorService threads = Executors.newFixedThreadPool(8);
                List<Future<String>> answers = new ArrayList<>();
                long started = System.nanoTime();
                for (int i = 0; i < 1500; i++) {
                    FlockProcess via = i % 2 == 0 ? a : b;
                    HttpRequest post = HttpRequest.newBuilder(URI.create("http://localhost:" + via.port + "/api/tweets"))
                            .header("Authorization", "Bearer " + attacker.token()).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("text", "flood " + i).encode())).build();
                    String instance = via == a ? "A" : "B";
                    answers.add(threads.submit(() -> {
                        HttpResponse<Void> r = HTTP.send(post, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 429) {
                            assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        }
                        return instance + " " + r.statusCode();
                    }));
                }
                for (Future<String> f : answers) {
                    statuses.merge(f.get(), 1, Integer::sum);
                }
                took[0] = System.nanoTime() - started;
                threads.shutdown();
            });
        }
        result.refused(statuses.toString()).record();
        double seconds = took[0] / 1e9;
        int accepted = statuses.getOrDefault("A 201", 0) + statuses.getOrDefault("B 201", 0);
        assertThat(statuses.keySet()).containsOnly("A 201", "A 429", "B 201", "B 429");
        // Both instances took posts, and together no more than one instance would: the full bucket plus what refilled
        // (10 a second) while the flood ran. Counted per instance, the sum could have reached twice the limit.
        assertThat(statuses.get("A 201")).isPositive();
        assertThat(statuses.get("B 201")).isPositive();
        assertThat(accepted).isBetween(POSTS_PER_MINUTE, POSTS_PER_MINUTE + (int) Math.ceil(seconds * POSTS_PER_MINUTE / 60.0) + 1);
        // Not refused traffic but allowed load: about 800 accepted posts in 20 s, each stored and fanned out by both
        // instances on these two cores. The bystander's p99 was 163-516 ms against 53-78 ms quiet (docs/reliability.md);
        // bounded so that a regression still fails.
        result.assertBounds(1500);
    }

    @Test
    void theFollowLimitHoldsForTheSumOfBothInstances() throws Exception {
        TestAccount follower = signUp("twofollow");
        Map<String, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < 2 * FOLLOWS_PER_HOUR; i++) {
            FlockProcess via = i % 2 == 0 ? a : b;
            TestAccount followee = signUp("twofollowee");
            HttpRequest follow = HttpRequest.newBuilder(URI.create("http://localhost:" + via.port + "/api/accounts/"
                            + followee.username() + "/follow"))
                    .header("Authorization", "Bearer " + follower.token()).PUT(HttpRequest.BodyPublishers.noBody()).build();
            statuses.merge((via == a ? "A " : "B ") + HTTP.send(follow, HttpResponse.BodyHandlers.discarding()).statusCode(), 1, Integer::sum);
        }
        // 20 an hour between them; either instance alone would have allowed all 40.
        assertThat(statuses.getOrDefault("A 204", 0) + statuses.getOrDefault("B 204", 0)).isEqualTo(FOLLOWS_PER_HOUR);
        assertThat(statuses.getOrDefault("A 429", 0) + statuses.getOrDefault("B 429", 0)).isEqualTo(FOLLOWS_PER_HOUR);
    }

    @Test
    void withTheProductionDefaultNoProxyIsTrustedSoXForwardedForIsIgnored() throws Exception {
        Map<Integer, Integer> trusted = new TreeMap<>();
        Map<Integer, Integer> untrusted = new TreeMap<>();
        for (int i = 0; i < 25; i++) {
            // Every request claims another client address.
            String claimed = "192.0.2." + (i + 1);
            trusted.merge(signUpVia(a, claimed), 1, Integer::sum);
            untrusted.merge(signUpVia(b, claimed), 1, Integer::sum);
        }
        // A believes loopback's X-Forwarded-For: 25 clients, each far from the limit of 20 an hour.
        assertThat(trusted).isEqualTo(Map.of(201, 25));
        // B counts them all as the one connection they come from (the header is ignored): 20 at most, then 429.
        assertThat(untrusted.getOrDefault(201, 0)).isLessThanOrEqualTo(20);
        assertThat(untrusted.getOrDefault(429, 0)).isGreaterThanOrEqualTo(5);
        assertThat(untrusted.keySet()).containsOnly(201, 429);
    }

    private static int signUpVia(FlockProcess instance, String claimedAddress) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + instance.port + "/api/accounts"))
                .header("X-Forwarded-For", claimedAddress).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", uniqueName("xff"))
                        .put("password", "long-enough-password").encode())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
