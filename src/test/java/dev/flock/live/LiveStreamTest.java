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
            assertThat(stream.awaitCaughtUp().getString("cursor")).isNotBlank();
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
    void signingOutClosesTheTokensOpenStreamsWith1008() {
        TestAccount reader = signUp("signout");
        String other = dev.flock.testing.TestApi.logIn(reader.username(), reader.password());
        try (TestStream stream = TestStream.open(reader.token(), null); TestStream kept = TestStream.open(other, null)) {
            stream.awaitCaughtUp();
            kept.awaitCaughtUp();
            reader.as().delete("/api/sessions/current").then().statusCode(204);
            assertThat(stream.awaitClose()).isEqualTo(1008);
            assertThat(TestStream.upgradeStatus(reader.token(), "", o -> { })).isEqualTo(401);
            assertThat(kept.closeCode()).as("the account's other session stays signed in").isNull();
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
        assertThat(TestStream.upgradeStatus(a.token(), "?cursor=banana", o -> { })).isEqualTo(400);
        assertThat(TestStream.upgradeStatus(a.token(), "?since=1", o -> { })).as("since was replaced by cursor").isEqualTo(400);
        assertThat(TestStream.upgradeStatus(a.token(), "", o -> { })).isEqualTo(101);
    }

    @Test
    void browsersCarryTheTokenAsSubprotocolOrUseASingleUseTicket() {
        TestAccount a = signUp("browser");
        String carrier = "quarkus-http-upgrade#Authorization#" + URLEncoder.encode("Bearer " + a.token(), StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(TestStream.upgradeStatus(null, "", o -> o.setSubProtocols(List.of("bearer-token-carrier", carrier)))).isEqualTo(101);
        String ticket = a.as().post("/api/stream/tickets").then().statusCode(200).extract().path("ticket");
        assertThat(TestStream.upgradeStatus(null, "?ticket=" + ticket, o -> { })).isEqualTo(101);
        assertThat(TestStream.upgradeStatus(null, "?ticket=" + ticket, o -> { })).as("a ticket works once").isEqualTo(401);
        assertThat(TestStream.upgradeStatus(null, "?ticket=garbage", o -> { })).isEqualTo(401);
        // A token in a URL ends up in access logs: refused even when valid.
        assertThat(TestStream.upgradeStatus(null, "?access_token=" + a.token(), o -> { })).isEqualTo(400);
    }

    @Test
    void aTicketStreamIsTheTicketHoldersAndEndsWhenItsTokenIsSignedOut() {
        TestAccount reader = signUp("ticket");
        TestAccount author = signUp("tickets");
        follow(reader, author);
        String ticket = reader.as().post("/api/stream/tickets").then().statusCode(200)
                .body("expiresAt", org.hamcrest.Matchers.matchesPattern("\\d{4}-.*Z")).extract().path("ticket");
        try (TestStream stream = TestStream.open(io.restassured.RestAssured.port, null, null,
                o -> o.setURI("/api/stream?ticket=" + ticket), false)) {
            stream.awaitCaughtUp();
            stream.awaitTweet(post(author, "to the ticket holder"));
            reader.as().delete("/api/sessions/current").then().statusCode(204);
            assertThat(stream.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void refusedUpgradesAnswerProblemJsonAndAnAccountHoldsAtMostEightStreams() {
        TestAccount a = signUp("caps");
        upgrade(null, "").then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        upgrade(a.token(), "?cursor=banana").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("cursor"));
        List<TestStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                TestStream stream = TestStream.open(a.token(), null);
                stream.awaitCaughtUp();
                open.add(stream);
            }
            upgrade(a.token(), "").then().statusCode(429).contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.notNullValue());
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(TestStream.upgradeStatus(a.token(), "", o -> { })).isEqualTo(101));
        } finally {
            open.forEach(TestStream::close);
        }
    }

    /** A WebSocket upgrade request over plain HTTP, to read a refusal's body. */
    private static io.restassured.response.Response upgrade(String token, String query) {
        var request = api().header("Connection", "Upgrade").header("Upgrade", "websocket").header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.get("/api/stream" + query);
    }

    @Test
    void reconnectingWithTheLastCursorReplaysWhatWasMissedInOrderThenCaughtUp() {
        TestAccount reader = signUp("resume");
        TestAccount author = signUp("resumea");
        follow(reader, author);
        String cursor;
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            stream.awaitCaughtUp();
            stream.awaitTweet(post(author, "seen"));
            cursor = stream.lastCursor();
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(post(author, "missed " + i));
        }
        try (TestStream stream = TestStream.open(reader.token(), cursor)) {
            JsonObject caughtUp = stream.awaitCaughtUp();
            assertThat(stream.tweetIds()).containsExactlyElementsOf(missed);
            assertThat(stream.frames()).allSatisfy(f -> assertThat(f.getString("cursor")).isNotBlank());
            assertThat(caughtUp.getString("cursor")).isEqualTo(stream.frames().get(stream.frames().size() - 2).getString("cursor"));
            assertThat(stream.frames().get(stream.frames().size() - 1).getString("type")).isEqualTo("caught-up");
        }
    }

    @Test
    void theHomePagesStreamCursorContinuesExactlyAfterThePage() {
        TestAccount reader = signUp("page");
        TestAccount author = signUp("pagea");
        follow(reader, author);
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(post(author, "before the page " + i));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(reader.as().get("/api/timeline/home").<List<String>>path("items.id")).containsAll(before));
        io.restassured.response.Response page = reader.as().get("/api/timeline/home");
        String streamCursor = page.path("streamCursor");
        List<String> onPage = page.path("items.id");
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            after.add(post(author, "after the page " + i));
        }
        try (TestStream stream = TestStream.open(reader.token(), streamCursor)) {
            stream.awaitCaughtUp();
            stream.awaitTweet(after.get(2));
            assertThat(stream.tweetIds()).containsExactlyElementsOf(after).doesNotContainAnyElementsOf(onPage);
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
        String cursor;
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            stream.awaitCaughtUp();
            stream.awaitTweet(post(author, "start"));
            cursor = stream.lastCursor();
        }
        poster.start();
        List<String> received = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            try (TestStream stream = TestStream.open(reader.token(), cursor)) {
                stream.awaitCaughtUp();
                Thread.onSpinWait();
                await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(150)).until(() -> true);
                List<String> got = stream.tweetIds();
                assertThat(got).as("one connection never repeats").doesNotHaveDuplicates();
                received.addAll(got);
                cursor = stream.lastCursor();
            }
        }
        poster.join();
        try (TestStream stream = TestStream.open(reader.token(), cursor)) {
            stream.awaitCaughtUp();
            received.addAll(stream.tweetIds());
        }
        assertThat(received).containsExactlyElementsOf(posted);
    }

    @Test
    void tooManyMissedTweetsAnswersReset() {
        TestAccount reader = signUp("reset");
        List<TestAccount> authors = List.of(signUp("reseta"), signUp("resetb"));
        authors.forEach(author -> follow(reader, author));
        for (int i = 0; i < 155; i++) {
            for (TestAccount author : authors) {
                post(author, "flood " + i);
            }
        }
        // A cursor from the start of the log: more than the 300 (test setting) frames a replay sends were missed.
        for (TestAccount author : authors) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(api().get("/api/accounts/" + author.username()).<Integer>path("tweetsCount")).isEqualTo(155));
        }
        String fromTheStart = zeroed(reader.as().get("/api/timeline/home").path("streamCursor"));
        try (TestStream stream = TestStream.open(reader.token(), fromTheStart)) {
            stream.awaitClose();
            assertThat(stream.frames()).extracting(f -> f.getString("type")).containsExactly("reset");
        }
    }

    @Test
    void aCursorOfAnotherLogAnswersReset() {
        TestAccount reader = signUp("alien");
        String mine = reader.as().get("/api/timeline/home").path("streamCursor");
        dev.flock.timeline.StreamCursor parsed = dev.flock.timeline.StreamCursor.parse(mine);
        String otherEpoch = dev.flock.timeline.StreamCursor.of(org.apache.kafka.common.Uuid.randomUuid().toString(), parsed.positions()).encode();
        String otherPartitions = dev.flock.timeline.StreamCursor.of(epochOf(mine), new long[parsed.partitions() + 1]).encode();
        for (String cursor : List.of(otherEpoch, otherPartitions)) {
            try (TestStream stream = TestStream.open(reader.token(), cursor)) {
                stream.awaitClose();
                assertThat(stream.frames()).extracting(f -> f.getString("type")).containsExactly("reset");
            }
        }
    }

    /** The same log's cursor with every partition at offset 0. */
    private static String zeroed(String cursor) {
        dev.flock.timeline.StreamCursor parsed = dev.flock.timeline.StreamCursor.parse(cursor);
        return dev.flock.timeline.StreamCursor.of(epochOf(cursor), new long[parsed.partitions()]).encode();
    }

    private static String epochOf(String cursor) {
        return io.quarkus.arc.Arc.container().instance(dev.flock.platform.TimelineLog.class).get().epoch();
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
