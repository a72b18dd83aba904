package dev.flock.live.chaos;

import dev.flock.embedded.EmbeddedServices;
import dev.flock.platform.TimelineLog;
import dev.flock.testing.FlockProcess;
import dev.flock.testing.ProductionEnvironment;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once delivery under chaos, against two Flock processes (the packaged application, prod profile) on the
 * embedded PostgreSQL and Kafka. Authors on every partition post steadily; 50 readers following random subsets
 * reconnect every 100-800 ms to a random instance with their last cursor (some start from a REST first page and its
 * streamCursor); follows, unfollows and deletes happen throughout; the store consumer is held back for seconds; one
 * instance is SIGKILLed and restarted. The oracle ({@link ChaosOracle}) judges from the acknowledged requests alone.
 *
 * <p>Seeded: the seed is printed, and {@code -Dflock.chaos.seed=N} replays its choices (thread timing still varies).
 * {@code -Dflock.chaos.seconds} sets the length of the run (default 45).
 */
class ExactlyOnceChaosIT {

    private static final int AUTHORS = 24;
    private static final int READERS = 50;
    private static final int POSTERS = 4;
    private static final int MAX_RUNS = 20;

    private final long seed = Long.getLong("flock.chaos.seed", System.currentTimeMillis());
    private final Duration run = Duration.ofSeconds(Long.getLong("flock.chaos.seconds", 45));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicReferenceArray<FlockProcess> instances = new AtomicReferenceArray<>(2);
    private final ChaosOracle oracle = new ChaosOracle();
    private final Map<Long, String> tokens = new ConcurrentHashMap<>();
    private final List<ChaosOracle.Post> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private StoreLagProbe storeLag;

    /**
     * Once per build; {@code -Dflock.chaos.runs=N} (at most {@value #MAX_RUNS}) runs it N times in a row, each with a
     * seed of its own, in one JVM: how "10 passes in a row" is checked.
     */
    @RepeatedTest(MAX_RUNS)
    void everyReaderReceivesExactlyWhatItIsOwedAcrossReconnectsLagAndAKilledInstance(RepetitionInfo repetition) throws Exception {
        assumeTrue(repetition.getCurrentRepetition() <= Integer.getInteger("flock.chaos.runs", 1),
                "more runs only with -Dflock.chaos.runs");
        System.out.printf("Chaos seed %d (replay with -Dflock.chaos.seed=%d)%n", seed, seed);
        Random random = new Random(seed);
        Map<String, String> env = ProductionEnvironment.forTests();
        env.put("FLOCK_POSTS_PER_MINUTE", "100000");
        env.put("FLOCK_SHUTDOWN_DELAY", "200ms");
        env.put("FLOCK_ACCOUNTS_BCRYPT_COST", "4");
        instances.set(0, FlockProcess.start("chaos-a", env));
        instances.set(1, FlockProcess.start("chaos-b", env));
        Vertx vertx = Vertx.vertx();
        try {
            runChaos(random, env, vertx);
        } finally {
            if (storeLag != null) {
                storeLag.close();
            }
            vertx.close();
            for (int i = 0; i < 2; i++) {
                if (instances.get(i) != null) {
                    instances.get(i).close();
                }
            }
        }
    }

    private void runChaos(Random random, Map<String, String> env, Vertx vertx) throws Exception {
        int partitions = 8;
        // Authors on every partition of the log (at least two each), and the readers.
        List<Long> authors = new ArrayList<>();
        int[] perPartition = new int[partitions];
        while (authors.size() < AUTHORS || java.util.Arrays.stream(perPartition).anyMatch(n -> n < 2)) {
            long id = signUp("ca");
            int p = TimelineLog.partitionOf(id, partitions);
            if (perPartition[p] < 2 || authors.size() < AUTHORS) {
                perPartition[p]++;
                authors.add(id);
            }
        }
        List<Long> readerIds = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            readerIds.add(signUp("cr"));
        }
        Map<String, Boolean> following = new ConcurrentHashMap<>();
        for (long reader : readerIds) {
            for (long author : pick(random, authors, 3 + random.nextInt(6))) {
                send("PUT", "/api/accounts/" + username(author) + "/follow", reader, null, null);
                oracle.initialFollow(reader, author);
                following.put(reader + ">" + author, true);
            }
        }

        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(READERS * 2));
        List<ChaosReader> readers = new ArrayList<>();
        List<ChaosReader> fromPage = new ArrayList<>();
        for (long id : readerIds) {
            ChaosReader reader = new ChaosReader(id, tokens.get(id), vertx, client, random.nextLong(), this::livePort);
            (random.nextInt(3) == 0 ? fromPage : readers).add(reader);
        }
        readers.forEach(ChaosReader::start);
        // Each reader live once (all of them caught up at the same moment is rare on a loaded machine: they cycle).
        await().atMost(Duration.ofSeconds(60)).until(() -> readers.stream().allMatch(ChaosReader::started));

        AtomicBoolean posting = new AtomicBoolean(true);
        AtomicInteger numbers = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(POSTERS + 1);
        List<java.util.concurrent.Future<?>> background = new ArrayList<>();
        List<Long> everyone = new ArrayList<>(authors);
        everyone.addAll(readerIds);
        for (int t = 0; t < POSTERS; t++) {
            Random mine = new Random(random.nextLong());
            background.add(pool.submit(() -> {
                while (posting.get()) {
                    // Mostly authors; now and then a reader posts too (its own tweets are owed to its streams).
                    long author = mine.nextInt(10) == 0 ? readerIds.get(mine.nextInt(readerIds.size())) : authors.get(mine.nextInt(authors.size()));
                    post(author, numbers.incrementAndGet());
                    pause(20);
                }
                return null;
            }));
        }

        storeLag = new StoreLagProbe(partitions, Duration.ofSeconds(30), logs());
        long began = System.nanoTime();
        Random chaos = new Random(random.nextLong());
        boolean heldBack = false;
        boolean killed = false;
        boolean pageReadersStarted = false;
        int changes = 0;
        int deleted = 0;
        Set<String> deletedIds = new HashSet<>();
        while (System.nanoTime() - began < run.toNanos()) {
            long elapsed = (System.nanoTime() - began) / 1_000_000;
            if (!pageReadersStarted && elapsed > 3000) {
                pageReadersStarted = true;
                for (ChaosReader reader : fromPage) {
                    long readAt = System.nanoTime();
                    JsonObject page = new JsonObject(send("GET", "/api/timeline/home?limit=100", reader.account, null, null));
                    List<String> ids = page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
                    reader.startFromPage(ids, page.getString("streamCursor"), readAt);
                    reader.start();
                    readers.add(reader);
                }
            }
            if (!heldBack && elapsed > run.toMillis() / 4) {
                heldBack = true;
                background.add(pool.submit(() -> holdBackTheStoreConsumer(Duration.ofSeconds(4))));
            }
            if (!killed && elapsed > run.toMillis() / 2) {
                killed = true;
                FlockProcess b = instances.getAndSet(1, null);
                b.kill();
                System.out.println("Chaos: instance B SIGKILLed at " + elapsed + " ms; restarting it");
                background.add(pool.submit(() -> {
                    instances.set(1, FlockProcess.start("chaos-b2", env));
                    return null;
                }));
            }
            if (chaos.nextInt(3) == 0) {
                long reader = readerIds.get(chaos.nextInt(readerIds.size()));
                long author = authors.get(chaos.nextInt(authors.size()));
                String pair = reader + ">" + author;
                boolean follow = !following.getOrDefault(pair, false);
                long start = System.nanoTime();
                send(follow ? "PUT" : "DELETE", "/api/accounts/" + username(author) + "/follow", reader, null, null);
                oracle.changed(reader, author, new ChaosOracle.Change(follow, start, System.nanoTime()));
                following.put(pair, follow);
                changes++;
            }
            if (chaos.nextInt(4) == 0 && acknowledged.size() > 10) {
                ChaosOracle.Post victim = acknowledged.get(acknowledged.size() - 1 - chaos.nextInt(Math.min(200, acknowledged.size())));
                if (deletedIds.add(victim.id())) {
                    long start = System.nanoTime();
                    send("DELETE", "/api/tweets/" + victim.id(), victim.author(), null, null);
                    oracle.deleted(new ChaosOracle.Delete(victim.id(), start, System.nanoTime()));
                    deleted++;
                }
            }
            pause(50);
        }
        posting.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        for (var task : background) {
            task.get(); // a poster that gave up fails the run here, with its reason
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> instances.get(1) != null);

        // Everyone stays connected now; give delivery the time it needs, then judge.
        readers.forEach(ChaosReader::settle);
        acknowledged.forEach(oracle::posted);
        ChaosOracle.Verdict[] verdict = new ChaosOracle.Verdict[1];
        try {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                verdict[0] = oracle.judge(readers.stream().map(ChaosReader::received).toList());
                return verdict[0].lost() == 0 && readers.stream().allMatch(ChaosReader::caughtUp);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // judged below with what arrived
        }
        verdict[0] = oracle.judge(readers.stream().map(ChaosReader::received).toList());
        storeLag.close();
        int connections = readers.stream().mapToInt(ChaosReader::connections).sum();
        int refused = readers.stream().mapToInt(ChaosReader::refused).sum();
        Map<String, Integer> refusedBecause = new java.util.TreeMap<>();
        readers.forEach(r -> r.refusedBecause().forEach((why, n) -> refusedBecause.merge(why, n, Integer::sum)));
        String report = String.format("Chaos seed %d, %d s: %d authors on %d partitions, %d readers (%d from a first page), %d connections "
                        + "(%d refused: %s), %d follow changes, %d deletes, %d failed attempts retried, %s; %s%n",
                seed, run.toSeconds(), authors.size(), partitions, readers.size(), fromPage.size(), connections, refused, refusedBecause, changes,
                deleted, failedAttempts.get(), storeLag.summary(), verdict[0].summary());
        System.out.print(report);
        verdict[0].problems().forEach(p -> System.out.println("  " + p));
        if (!verdict[0].problems().isEmpty() || !verdict[0].clean()) {
            System.out.println(forensics(""));
        }
        Files.writeString(Path.of("target", "chaos.txt"), report, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        assertThat(verdict[0].problems()).as(verdict[0].summary()).isEmpty();
        assertThat(verdict[0].clean()).as(verdict[0].summary()).isTrue();
        assertThat(verdict[0].owed()).as("the run exercised delivery").isGreaterThan(1000);
    }

    /** Blocks the store consumer: its position update waits for this lock, while replays may still read positions. */
    private Void holdBackTheStoreConsumer(Duration howLong) throws Exception {
        String url = "jdbc:" + System.getProperty(EmbeddedServices.DB_URL);
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                lock.execute("LOCK TABLE log_positions IN EXCLUSIVE MODE");
                System.out.println("Chaos: store consumer held back for " + howLong.toMillis() + " ms");
                Thread.sleep(howLong.toMillis());
            }
            db.commit();
        }
        return null;
    }

    private void post(long author, int number) {
        String key = "chaos-" + seed + "-" + number;
        long start = System.nanoTime();
        String body = send("POST", "/api/tweets", author, new JsonObject().put("text", "chaos " + number).encode(), key);
        acknowledged.add(new ChaosOracle.Post(number, author, new JsonObject(body).getString("id"), start, System.nanoTime()));
    }

    /** A request to a random live instance; on a refused connection, a 503 or no answer, again (posts keep their key). */
    private String send(String method, String path, long as, String body, String idempotencyKey) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String lastFailure = null;
        while (true) {
            int port = livePort();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    // Each account has an address of its own, so per-address limits (sign-up, login) stay out of the way.
                    .header("X-Forwarded-For", "198.51." + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(1, 255))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (tokens.containsKey(as)) {
                request.header("Authorization", "Bearer " + tokens.get(as));
            }
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 300 || (status == 404 && method.equals("DELETE") && path.startsWith("/api/tweets/") && failedAttemptFor(path))) {
                    return response.body();
                }
                if (status != 503) {
                    throw new IllegalStateException(method + " " + path + " answered " + status + ": " + response.body() + forensics(path));
                }
                lastFailure = port + " answered 503: " + response.body();
            } catch (IOException e) {
                // The instance died under the request; the retry goes wherever is alive.
                retried.add(method + " " + path);
                lastFailure = port + ": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            failedAttempts.incrementAndGet();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(method + " " + path + " kept failing (seed " + seed + "; last: " + lastFailure + ")" + forensics(path));
            }
            pause(100);
        }
    }

    private final Set<String> retried = ConcurrentHashMap.newKeySet();

    private static String forensics(String path) {
        String tweet = path.startsWith("/api/tweets/") ? path.substring("/api/tweets/".length()) : null;
        return ChaosForensics.gather(tweet, logs());
    }

    private static List<Path> logs() {
        return List.of(Path.of("target", "it-chaos-a.log"), Path.of("target", "it-chaos-b.log"), Path.of("target", "it-chaos-b2.log"));
    }

    /** A delete retried after its first attempt's answer was lost may find the tweet gone already: that is success. */
    private boolean failedAttemptFor(String path) {
        return retried.contains("DELETE " + path);
    }

    private long signUp(String prefix) {
        String username = prefix + "_" + Long.toString(seed % 100_000, 36) + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String password = "pw-" + username;
        JsonObject account = new JsonObject(send("POST", "/api/accounts", -1,
                new JsonObject().put("username", username).put("password", password).encode(), null));
        long id = Long.parseLong(account.getString("id"));
        usernames.put(id, username);
        JsonObject session = new JsonObject(send("POST", "/api/sessions", id,
                new JsonObject().put("username", username).put("password", password).encode(), null));
        tokens.put(id, session.getString("token"));
        return id;
    }

    private final Map<Long, String> usernames = new HashMap<>();

    private String username(long id) {
        return usernames.get(id);
    }

    private int livePort() {
        List<FlockProcess> alive = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            FlockProcess p = instances.get(i);
            if (p != null && p.alive()) {
                alive.add(p);
            }
        }
        return alive.get(ThreadLocalRandom.current().nextInt(alive.size())).port;
    }

    private static List<Long> pick(Random random, List<Long> from, int n) {
        List<Long> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(n, copy.size()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
