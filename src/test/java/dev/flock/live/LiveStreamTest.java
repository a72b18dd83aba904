package dev.flock.live;

import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class LiveStreamTest {

    @Test
    void followerStreamGetsFolloweesAndOwnTweetsButNotStrangers() {
        TestAccount reader = signUp("live");
        TestAccount author = signUp("liveauth");
        TestAccount stranger = signUp("livestr");
        follow(reader, author);
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            assertThat(stream.awaitCaughtUp().getValue("lastId")).isNull();
            String fromStranger = post(stranger, "not for you");
            String fromAuthor = post(author, "for my followers");
            stream.awaitTweet(fromAuthor);
            String own = post(reader, "my own");
            stream.awaitTweet(own);
            assertThat(stream.tweetIds()).containsExactly(fromAuthor, own).doesNotContain(fromStranger);
            JsonObject frame = stream.frames().stream().filter(f -> "tweet".equals(f.getString("type"))).findFirst().orElseThrow();
            assertThat(frame.getJsonObject("tweet").getString("text")).isEqualTo("for my followers");
            assertThat(frame.getJsonObject("tweet").getJsonObject("author").getString("username")).isEqualTo(author.username());
        }
    }

    @Test
    void deleteFrameFollowsADelete() {
        TestAccount reader = signUp("delr");
        TestAccount author = signUp("dela");
        follow(reader, author);
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            stream.awaitCaughtUp();
            String id = post(author, "regrettable");
            stream.awaitTweet(id);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().get("/api/tweets/" + id).then().statusCode(200));
            author.as().delete("/api/tweets/" + id).then().statusCode(204);
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.deletedIds().contains(id));
        }
    }

    @Test
    void followAndUnfollowChangeWhatAnOpenStreamReceives() {
        TestAccount reader = signUp("chg");
        TestAccount author = signUp("chga");
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            stream.awaitCaughtUp();
            String before = post(author, "before the follow");
            follow(reader, author);
            String during = post(author, "while followed");
            stream.awaitTweet(during);
            reader.as().delete("/api/accounts/" + author.username() + "/follow").then().statusCode(204);
            String after = post(author, "after the unfollow");
            String marker = post(reader, "marker");
            stream.awaitTweet(marker);
            assertThat(stream.tweetIds()).containsExactly(during, marker).doesNotContain(before, after);
        }
    }

    @Test
    void upgradeWithoutAValidTokenIsRefusedWith401() {
        TestAccount a = signUp("nows");
        assertThat(TestStream.upgradeStatus(null, "", o -> { })).isEqualTo(401);
        assertThat(TestStream.upgradeStatus("garbage", "", o -> { })).isEqualTo(401);
        String expired = Jwt.issuer("flock").subject(a.id()).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign();
        assertThat(TestStream.upgradeStatus(expired, "", o -> { })).isEqualTo(401);
        assertThat(TestStream.upgradeStatus(a.token(), "?since=banana", o -> { })).isEqualTo(400);
        assertThat(TestStream.upgradeStatus(a.token(), "", o -> { })).isEqualTo(101);
    }

    @Test
    void browsersMayCarryTheTokenAsSubprotocolOrQueryParameter() {
        TestAccount a = signUp("browser");
        String carrier = "quarkus-http-upgrade#Authorization#" + URLEncoder.encode("Bearer " + a.token(), StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(TestStream.upgradeStatus(null, "", o -> o.setSubProtocols(List.of("bearer-token-carrier", carrier)))).isEqualTo(101);
        assertThat(TestStream.upgradeStatus(null, "?access_token=" + a.token(), o -> { })).isEqualTo(101);
        assertThat(TestStream.upgradeStatus(null, "?access_token=garbage", o -> { })).isEqualTo(401);
    }

    @Test
    void reconnectingWithSinceReplaysWhatWasMissedInOrderThenCaughtUp() {
        TestAccount reader = signUp("resume");
        TestAccount author = signUp("resumea");
        follow(reader, author);
        String seen = post(author, "seen");
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(post(author, "missed " + i));
        }
        try (TestStream stream = TestStream.open(reader.token(), seen)) {
            JsonObject caughtUp = stream.awaitCaughtUp();
            assertThat(stream.tweetIds()).containsExactlyElementsOf(missed);
            assertThat(caughtUp.getString("lastId")).isEqualTo(missed.get(4));
            assertThat(stream.frames().get(stream.frames().size() - 1).getString("type")).isEqualTo("caught-up");
        }
    }

    @Test
    void resumeUnderContinuousPostingMissesNothingAndRepeatsNothing() throws Exception {
        TestAccount reader = signUp("exact");
        TestAccount author = signUp("exacta");
        follow(reader, author);
        List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread poster = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                posted.add(post(author, "continuous " + i));
            }
        });
        String since = post(author, "start");
        poster.start();
        List<String> received = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            try (TestStream stream = TestStream.open(reader.token(), since)) {
                stream.awaitCaughtUp();
                Thread.onSpinWait();
                await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(150)).until(() -> true);
                List<String> got = stream.tweetIds();
                assertThat(got).as("one connection never repeats").doesNotHaveDuplicates();
                received.addAll(got);
                if (!got.isEmpty()) {
                    since = got.get(got.size() - 1);
                }
            }
        }
        poster.join();
        try (TestStream stream = TestStream.open(reader.token(), since)) {
            stream.awaitCaughtUp();
            received.addAll(stream.tweetIds());
        }
        assertThat(received).containsExactlyElementsOf(posted);
    }

    @Test
    void tooManyMissedTweetsAnswersReset() {
        TestAccount reader = signUp("reset");
        TestAccount author = signUp("reseta");
        follow(reader, author);
        for (int i = 0; i < 55; i++) {
            post(author, "flood " + i);
        }
        // since=1 is older than the 24 h window, and more than the 50 (test setting) newest were missed.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(reader.as().get("/api/timeline/home?limit=100").<List<String>>path("items.id")).hasSize(55));
        try (TestStream stream = TestStream.open(reader.token(), "1")) {
            stream.awaitClose();
            assertThat(stream.frames()).extracting(f -> f.getString("type")).containsExactly("reset");
        }
    }

    @Test
    void clientFramesOtherThanPingsCloseTheStream() {
        TestAccount a = signUp("talker");
        try (TestStream stream = TestStream.open(a.token(), null)) {
            stream.awaitCaughtUp();
            stream.socket().writeTextMessage("hello?");
            assertThat(stream.awaitClose()).isEqualTo(1008);
        }
        try (TestStream stream = TestStream.open(a.token(), null)) {
            stream.awaitCaughtUp();
            stream.socket().writeBinaryMessage(Buffer.buffer(new byte[]{1, 2, 3}));
            assertThat(stream.awaitClose()).isEqualTo(1008);
        }
        try (TestStream stream = TestStream.open(a.token(), null)) {
            stream.awaitCaughtUp();
            stream.socket().writeTextMessage("x".repeat(5000));
            assertThat(stream.awaitClose()).isIn(1008, 1009);
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedWith1013() throws Exception {
        TestAccount reader = signUp("sloth");
        List<TestAccount> authors = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestAccount author = signUp("slotha");
            follow(reader, author);
            authors.add(author);
        }
        String big = "😀".repeat(280);
        try (TestStream stream = TestStream.open(io.restassured.RestAssured.port, reader.token(), null, o -> { }, true)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
            for (TestAccount author : authors) {
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 290 && stream.closeCode() == null; i++) {
                        author.as().body(Map.of("text", big)).post("/api/tweets");
                    }
                }));
            }
            for (java.util.concurrent.Future<?> job : jobs) {
                job.get();
            }
            pool.shutdown();
            stream.socket().resume();
            assertThat(stream.awaitClose()).isEqualTo(1013);
        }
        String metrics = api().accept("text/plain").get("/q/metrics").asString();
        assertThat(metrics).containsPattern("flock_streams_slow_closed_total(\\{[^}]*\\})? [1-9]");
    }
}
