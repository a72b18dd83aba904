package dev.flock.testing;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an attack costs everyone else, measured the same way for every attack row of docs/reliability.md: the heap
 * after a forced GC before and after the attack, readiness polled all through it, and the POST-to-frame latency seen by
 * a bystander (a follower's open stream and the accounts it follows, posting steadily) during the attack against a
 * quiet baseline taken just before it.
 *
 * <pre>{@code
 * // In a @QuarkusTest (the application shares this JVM, so its heap is this JVM's):
 * try (AttackProbe probe = AttackProbe.inThisJvm()) {
 *     AttackProbe.Result result = probe.measure("one account following 10,000", () -> { ... the attack ... })
 *             .refused("5,000 x 422");   // what the attack was answered, in the test's words
 *     result.record();        // one line in target/attacks.txt, the figures for docs/reliability.md
 *     result.assertBounds(250); // heap +32 MiB at most, ready throughout, bystander p99 at most 250 ms
 * }
 * // Against a packaged process: AttackProbe.of(flockProcess) forces its GC and reads its heap with jcmd.
 * }</pre>
 * The attack runs on the caller's thread; make it last a few seconds at least, so that the bystander posts (one every
 * 25 ms) give a p99 worth the name.
 */
public final class AttackProbe implements AutoCloseable {

    /** Limits the issue sets for every attack. */
    public static final double MAX_HEAP_GROWTH_MIB = 32;

    private static final int AUTHORS = 10;
    private static final Duration INTERVAL = Duration.ofMillis(25);
    private static final int WARM_UP_SAMPLES = 100;
    private static final int BASELINE_SAMPLES = 200;
    private static final Duration READINESS_EVERY = Duration.ofMillis(100);

    public interface Attack {
        void run() throws Exception;
    }

    /** Latencies of one phase, in milliseconds. */
    public record Latency(int samples, double p50, double p99, double max) {
        static Latency of(List<Long> nanos) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return new Latency(0, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Latency(sorted.size(), ms(sorted.get((sorted.size() - 1) / 2)),
                    ms(sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)), ms(sorted.get(sorted.size() - 1)));
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }

        @Override
        public String toString() {
            return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d", p50, p99, max, samples);
        }
    }

    /** The figures of one attack. */
    public record Result(String label, double heapBeforeMiB, double heapAfterMiB, int readinessPolls, List<String> notReady,
                         Latency quiet, Latency attack, List<String> bystanderFailures, Duration attackTook, String refused) {

        /** The same figures with what the attack was refused (e.g. "{204=5000, 422=5000}"), for the record. */
        public Result refused(String what) {
            return new Result(label, heapBeforeMiB, heapAfterMiB, readinessPolls, notReady, quiet, attack, bystanderFailures,
                    attackTook, what);
        }

        /**
         * The bounds for heap growth, readiness and the bystander's posts (all 201), and a ceiling for the
         * bystander's p99 during the attack. Not "twice the quiet p99", the figure, which {@link #toString}
         * reports for every run: on these two shared cores, with the attack's own client in this JVM, that ratio ranged
         * from 1.3 to 8 between runs of the same attack (docs/reliability.md), so as an assertion it only flaked.
         */
        public Result assertBounds(double p99CeilingMs) {
            assertThat(notReady).as(label + ": readiness polls that were not 200 (of " + readinessPolls + ")").isEmpty();
            assertThat(bystanderFailures).as(label + ": bystander posts that were not 201").isEmpty();
            assertThat(heapAfterMiB - heapBeforeMiB).as(label + ": heap growth after GC (MiB), " + this)
                    .isLessThanOrEqualTo(MAX_HEAP_GROWTH_MIB);
            assertThat(attack.samples()).as(label + ": bystander samples during the attack").isPositive();
            assertThat(attack.p99()).as(label + ": bystander POST->frame p99 during the attack, " + this).isLessThanOrEqualTo(p99CeilingMs);
            return this;
        }

        /** Appends this result to target/attacks.txt (and prints it). */
        public Result record() throws IOException {
            System.out.println("Attack measured: " + this);
            Files.writeString(Path.of("target", "attacks.txt"), this + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return this;
        }

        @Override
        public String toString() {
            return String.format("%s | refused: %s | attack %.1f s | heap after GC %.0f -> %.0f MiB (%+.0f) | ready %d/%d polls | "
                            + "bystander POST->frame quiet %s; during the attack %s | bystander posts failed: %d",
                    label, refused, attackTook.toMillis() / 1000.0, heapBeforeMiB, heapAfterMiB, heapAfterMiB - heapBeforeMiB,
                    readinessPolls - notReady.size(), readinessPolls, quiet, attack, bystanderFailures.size());
        }
    }

    private final int port;
    private final LongSupplier heapAfterGc;
    private final List<TestApi.TestAccount> authors = new ArrayList<>();
    private final TestStream stream;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "attack-probe");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AttackProbe(int port, LongSupplier heapAfterGc) {
        this.port = port;
        this.heapAfterGc = heapAfterGc;
        TestApi.TestAccount follower = signUp("probeF");
        for (int i = 0; i < AUTHORS; i++) {
            TestApi.TestAccount author = signUp("probeA");
            as(follower).put("/api/accounts/" + author.username() + "/follow").then().statusCode(204);
            authors.add(author);
        }
        stream = TestStream.open(port, follower.token(), null);
        stream.awaitCaughtUp();
    }

    /** For a @QuarkusTest: the application on RestAssured's port, its heap this JVM's. */
    public static AttackProbe inThisJvm() {
        return new AttackProbe(RestAssured.port, AttackProbe::thisJvmHeapAfterGc);
    }

    /** For a packaged process: its port, its heap read with jcmd after jcmd made it collect. */
    public static AttackProbe of(FlockProcess process) {
        return new AttackProbe(process.port, () -> processHeapAfterGc(process.pid()));
    }

    /** Quiet baseline, then the attack with readiness and the bystander measured throughout, then the heap again. */
    public Result measure(String label, Attack attack) throws Exception {
        List<String> failures = new CopyOnWriteArrayList<>();
        // Unrecorded first: the first posts of a fresh probe (and of a freshly started instance) are slower than the rest.
        Map<String, Long> warmUp = new ConcurrentHashMap<>();
        ScheduledFuture<?> warming = sample(warmUp, failures);
        await().atMost(Duration.ofSeconds(60)).until(() -> warmUp.size() >= WARM_UP_SAMPLES);
        warming.cancel(false);
        awaitFrames(warmUp);

        Map<String, Long> quietPosts = new ConcurrentHashMap<>();
        ScheduledFuture<?> quiet = sample(quietPosts, failures);
        await().atMost(Duration.ofSeconds(60)).until(() -> quietPosts.size() >= BASELINE_SAMPLES);
        quiet.cancel(false);
        awaitFrames(quietPosts);

        long heapBefore = heapAfterGc.getAsLong();
        Map<String, Long> attackPosts = new ConcurrentHashMap<>();
        AtomicInteger polls = new AtomicInteger();
        List<String> notReady = new CopyOnWriteArrayList<>();
        ScheduledFuture<?> readiness = scheduler.scheduleWithFixedDelay(() -> pollReadiness(polls, notReady),
                0, READINESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> bystander = sample(attackPosts, failures);
        long started = System.nanoTime();
        try {
            attack.run();
        } finally {
            bystander.cancel(false);
            readiness.cancel(false);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // A last poll once the attack is over: readiness "throughout" includes its end.
        pollReadiness(polls, notReady);
        awaitFrames(attackPosts);
        long heapAfter = heapAfterGc.getAsLong();
        return new Result(label, mib(heapBefore), mib(heapAfter), polls.get(), List.copyOf(notReady),
                latency(quietPosts), latency(attackPosts), List.copyOf(failures), took, "(not recorded)");
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        stream.close();
    }

    private ScheduledFuture<?> sample(Map<String, Long> posted, List<String> failures) {
        AtomicInteger next = new AtomicInteger();
        return scheduler.scheduleAtFixedRate(() -> {
            TestApi.TestAccount author = authors.get(next.getAndIncrement() % authors.size());
            // A plain HTTP client rather than RestAssured: its own overhead would be part of every figure.
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/tweets"))
                    .header("Authorization", "Bearer " + author.token()).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("text", "bystander " + next.get()).encode()))
                    .build();
            long start = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    posted.put(new JsonObject(r.body()).getString("id"), start);
                } else {
                    failures.add(r.statusCode() + " " + r.body());
                }
            } catch (IOException | RuntimeException e) {
                failures.add(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void awaitFrames(Map<String, Long> posted) {
        await().atMost(Duration.ofSeconds(30)).until(() -> posted.keySet().stream().allMatch(id -> stream.arrivedAt(id) != null));
    }

    private Latency latency(Map<String, Long> posted) {
        List<Long> nanos = new ArrayList<>();
        posted.forEach((id, start) -> nanos.add(stream.arrivedAt(id) - start));
        return Latency.of(nanos);
    }

    private void pollReadiness(AtomicInteger polls, List<String> notReady) {
        polls.incrementAndGet();
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                notReady.add(String.valueOf(r.statusCode()));
            }
        } catch (IOException e) {
            notReady.add(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TestApi.TestAccount signUp(String prefix) {
        String username = TestApi.uniqueName(prefix);
        String password = "pw-" + username + "-secret";
        TestApi.api().port(port).body(Map.of("username", username, "password", password)).post("/api/accounts")
                .then().statusCode(201);
        Response session = TestApi.api().port(port).body(Map.of("username", username, "password", password)).post("/api/sessions");
        session.then().statusCode(200);
        return new TestApi.TestAccount(session.path("account.id"), username, password, session.path("token"));
    }

    private RequestSpecification as(TestApi.TestAccount account) {
        return TestApi.api().port(port).header("Authorization", "Bearer " + account.token());
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static long thisJvmHeapAfterGc() {
        // Twice: the first collection may leave objects whose finalisation or cleaning frees more.
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private static long processHeapAfterGc(long pid) {
        jcmd(pid, "GC.run");
        Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info of " + pid + " names no heap use");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("jcmd could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
