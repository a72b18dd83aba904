package dev.flock.live;

import dev.flock.testing.FlockProcess;
import dev.flock.testing.ProductionEnvironment;
import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Flock processes (the packaged application, prod profile) on one real PostgreSQL and Kafka: a follower on
 * instance B receives what is posted through A, and when B is stopped with SIGTERM it resumes on A without a gap.
 */
class TwoInstancesIT {

    private static FlockProcess a;
    private static FlockProcess b;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        env = ProductionEnvironment.forTests();
        env.put("FLOCK_SHUTDOWN_DELAY", "500ms");
        a = FlockProcess.start("instance-a", env);
        b = FlockProcess.start("instance-b", env);
        RestAssured.port = a.port;
    }

    @AfterAll
    static void stop() throws Exception {
        for (FlockProcess p : new FlockProcess[]{a, b}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void followerOnBGetsTweetsPostedThroughAAndResumesOnAAfterBStops() throws Exception {
        TestAccount follower = signUp("twoF");
        TestAccount author = signUp("twoA");
        follow(follower, author);

        List<String> received = new ArrayList<>();
        TestStream onB = TestStream.open(b.port, follower.token(), null);
        onB.awaitCaughtUp();
        String first = post(author, "through A, read on B");
        onB.awaitTweet(first);

        List<String> posted = new CopyOnWriteArrayList<>(List.of(first));
        Thread poster = new Thread(() -> {
            for (int i = 0; i < 150; i++) {
                posted.add(post(author, "steady " + i));
            }
        });
        poster.start();
        org.awaitility.Awaitility.await().until(() -> posted.size() > 30);
        assertThat(b.terminate()).as("exit after SIGTERM").isIn(0, 143);
        assertThat(onB.awaitClose()).isEqualTo(1001);
        received.addAll(onB.tweetIds());

        try (TestStream onA = TestStream.open(a.port, follower.token(), onB.lastCursor())) {
            onA.awaitCaughtUp();
            poster.join();
            onA.awaitTweet(posted.get(posted.size() - 1));
            received.addAll(onA.tweetIds());
        }
        assertThat(received).containsExactlyElementsOf(posted);
    }

    @Test
    void followerOfAKilledInstanceResumesOnTheOtherWithoutGapOrDuplicate() throws Exception {
        TestAccount follower = signUp("killF");
        TestAccount author = signUp("killA");
        follow(follower, author);
        List<String> received = new ArrayList<>();
        try (FlockProcess c = FlockProcess.start("instance-c", env)) {
            TestStream onC = TestStream.open(c.port, follower.token(), null);
            onC.awaitCaughtUp();
            List<String> posted = new CopyOnWriteArrayList<>();
            Thread poster = new Thread(() -> {
                for (int i = 0; i < 150; i++) {
                    posted.add(post(author, "through A " + i));
                }
            });
            poster.start();
            org.awaitility.Awaitility.await().until(() -> onC.tweetIds().size() > 20);
            long killedAt = System.nanoTime();
            c.kill();
            onC.awaitClose();
            received.addAll(onC.tweetIds());
            try (TestStream onA = TestStream.open(a.port, follower.token(), onC.lastCursor())) {
                onA.awaitCaughtUp();
                long resumedMs = (System.nanoTime() - killedAt) / 1_000_000;
                poster.join();
                onA.awaitTweet(posted.get(posted.size() - 1));
                received.addAll(onA.tweetIds());
                assertThat(received).containsExactlyElementsOf(posted);
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "reliability.txt"),
                        String.format("Instance SIGKILLed: %d posts through the other instance while it died; follower resumed %d ms after "
                                + "the kill and received %d/%d (lost 0, duplicated 0)%n", posted.size(), resumedMs, received.size(), posted.size()),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        }
    }
}
