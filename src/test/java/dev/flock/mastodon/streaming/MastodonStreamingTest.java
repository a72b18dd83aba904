package dev.flock.mastodon.streaming;

import dev.flock.mastodon.MastodonTestApi;
import dev.flock.testing.TestApi;
import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static dev.flock.mastodon.MastodonTestApi.as;
import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class MastodonStreamingTest {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    /**
     * Mastodon streams say nothing when they go live: the reader posts probes of its own (its stream carries them)
     * until one arrives; from then on the stream is live.
     */
    private static void awaitLive(TestAccount reader, Supplier<List<String>> received) {
        List<String> probes = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (received.get().stream().anyMatch(probes::contains)) {
                return true;
            }
            probes.add(post(reader, "probe"));
            return false;
        });
    }

    private static String deleteTweet(TestAccount author, String id) {
        author.as().delete("/api/tweets/" + id).then().statusCode(204);
        return id;
    }

    @Test
    void streamOpensFromOneAddressAreLimitedAcrossProtocols() {
        TestAccount reader = signUp("msopens");
        String address = "192.0.2." + (1 + (int) (System.nanoTime() % 250));
        // Server-sent event requests without a token: each one an open refused with 401 until the address's
        // allowance for this second (20) is spent, then 429 in Mastodon's words with Retry-After.
        List<io.restassured.response.Response> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 60 && answers.stream().noneMatch(r -> r.statusCode() == 429); i++) {
            answers.add(given().header("X-Forwarded-For", address).get("/api/v1/streaming/user"));
        }
        assertThat(answers.get(0).statusCode()).isEqualTo(401);
        io.restassured.response.Response limited = answers.get(answers.size() - 1);
        assertThat(limited.statusCode()).as("60 opens from one address within about a second").isEqualTo(429);
        assertThat(limited.jsonPath().getString("error")).contains("Too many streams opened from this address");
        assertThat(limited.header("X-Error-Message")).contains("Too many streams opened");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
        // The same address's Flock streams are refused too: one allowance for every protocol (with allowances of
        // their own, the first 20 would all open).
        List<Integer> flock = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            flock.add(TestStream.upgradeStatus(reader.token(), "", o -> o.putHeader("X-Forwarded-For", address)));
        }
        assertThat(flock).contains(429);
    }

    @Test
    void mastodonAndFlockStreamsShareTheCapOfStreamsPerAccount() {
        TestAccount reader = signUp("mscap");
        String token = MastodonTestApi.token(reader);
        List<AutoCloseable> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                TestStream flock = TestStream.open(reader.token(), null);
                flock.awaitCaughtUp();
                open.add(flock);
                open.add(MastodonTestStream.open("?stream=user&access_token=" + token, o -> { }));
            }
            MastodonTestStream.Refusal ninth = MastodonTestStream.refusal("?stream=user&access_token=" + token, o -> { });
            assertThat(ninth.status()).isEqualTo(429);
            assertThat(ninth.json().getString("error")).contains("8 streams");
            assertThat(ninth.headers().get("X-Error-Message")).contains("8 streams");
            assertThat(TestStream.upgradeStatus(reader.token(), "", o -> { })).isEqualTo(429);
            // One Mastodon stream ends: its place is free for either protocol.
            MastodonTestStream first = (MastodonTestStream) open.remove(1);
            first.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(TestStream.upgradeStatus(reader.token(), "", o -> { })).isEqualTo(101));
        } finally {
            for (AutoCloseable stream : open) {
                try {
                    stream.close();
                } catch (Exception ignored) {
                    // closing is best effort here; the instance cleans up after clients that vanish
                }
            }
        }
    }

    @Test
    void userStreamCarriesFollowedAccountsTweetsAndDeletesWithTheTokenInTheQuery() {
        TestAccount reader = signUp("msreader");
        TestAccount author = signUp("msauthor");
        follow(reader, author);
        String token = MastodonTestApi.token(reader);
        try (MastodonTestStream stream = MastodonTestStream.open("?stream=user&access_token=" + token, o -> { })) {
            awaitLive(reader, stream::updatedIds);
            // Posted through Flock's own API, read through Mastodon's.
            String id = post(author, "to the <Mastodon> stream\n\nsecond paragraph");
            JsonObject status = stream.awaitUpdate(id);
            JsonObject event = stream.events("update").stream()
                    .filter(e -> new JsonObject(e.getString("payload")).getString("id").equals(id)).findFirst().orElseThrow();
            assertThat(event.getJsonArray("stream").getList()).containsExactly("user");
            assertThat(status.getString("content")).isEqualTo("<p>to the &lt;Mastodon&gt; stream</p><p>second paragraph</p>");
            assertThat(status.getString("created_at")).matches(TIME);
            assertThat(status.getString("url")).matches("http://localhost:\\d+/@" + author.username() + "/" + id);
            assertThat(status.getJsonArray("media_attachments").getList()).isEmpty();
            JsonObject account = status.getJsonObject("account");
            assertThat(account.getString("id")).isEqualTo(author.id());
            assertThat(account.getString("acct")).isEqualTo(author.username());
            assertThat(account.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT00:00:00\\.000Z");
            assertThat(account.getString("avatar")).matches("http://localhost:\\d+/avatars/original/missing\\.png");

            deleteTweet(author, id);
            stream.awaitDelete(id);
            assertThat(stream.updatedIds()).containsOnlyOnce(id);
            assertThat(stream.closeCode()).isEmpty();
        }
    }

    @Test
    void subprotocolTokenIsEchoedAndSubscribeMessagesOpenTheStream() {
        TestAccount reader = signUp("msproto");
        TestAccount author = signUp("msprotoa");
        follow(reader, author);
        String token = MastodonTestApi.token(reader);
        try (MastodonTestStream stream = MastodonTestStream.open("", o -> o.addSubProtocol(token))) {
            // Browsers and the ws library abort a handshake whose 101 does not name the offered subprotocol.
            assertThat(stream.subProtocol()).isEqualTo(token);
            stream.subscribe("user");
            awaitLive(reader, stream::updatedIds);
            // Posted through the Mastodon API.
            String id = as(token).body(Map.of("status", "hello")).post("/api/v1/statuses").then().statusCode(200)
                    .extract().path("id");
            stream.awaitUpdate(id);
            // A second subscribe changes nothing: still one update per status.
            stream.subscribe("user");
            String next = post(author, "once");
            stream.awaitUpdate(next);
            assertThat(stream.updatedIds()).containsOnlyOnce(next);
        }
    }

    @Test
    void unsubscribeEndsTheUserStreamButNotTheConnection() {
        TestAccount reader = signUp("msunsub");
        try (MastodonTestStream stream = MastodonTestStream.withHeader(reader.token(), "?stream=user");
             TestStream witness = TestStream.open(reader.token(), null)) {
            witness.awaitCaughtUp();
            awaitLive(reader, stream::updatedIds);
            stream.send(new JsonObject().put("type", "unsubscribe").put("stream", "user"));
            // Messages are handled in order: once this answer is in, the unsubscribe was handled.
            stream.subscribe("no-such-stream");
            stream.awaitError("Unknown stream type");
            String unseen = post(reader, "after unsubscribe");
            witness.awaitTweet(unseen);
            stream.subscribe("still-no-such-stream");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.messages().stream().filter(m -> m.containsKey("error")).count() == 2);
            assertThat(stream.updatedIds()).doesNotContain(unseen);
            assertThat(stream.closeCode()).isEmpty();

            stream.subscribe("user");
            awaitLive(reader, stream::updatedIds);
        }
    }

    @Test
    void unknownAndUnservedStreamsAreAnsweredAsMastodonAnswersThem() {
        TestAccount reader = signUp("msunknown");
        try (MastodonTestStream stream = MastodonTestStream.withHeader(reader.token(), "")) {
            // Streams Flock has nothing for are accepted and stay silent; only the last message gets an answer.
            for (String silent : List.of("public", "public:local", "user:notification", "direct")) {
                stream.subscribe(silent);
            }
            stream.send(new JsonObject().put("type", "subscribe").put("stream", "hashtag").put("tag", "flock"));
            stream.subscribe("hashtag");
            JsonObject missingTag = stream.awaitError("Missing tag name parameter");
            assertThat(missingTag.getInteger("status")).isEqualTo(400);
            assertThat(stream.messages()).hasSize(1);

            stream.subscribe("list");
            assertThat(stream.awaitError("Missing list name parameter").getInteger("status")).isEqualTo(400);
            stream.send(new JsonObject().put("type", "subscribe").put("stream", "list").put("list", "1"));
            assertThat(stream.awaitError("Not authorized to stream this list").getInteger("status")).isEqualTo(401);
            stream.send(new JsonObject().put("type", "subscribe").put("stream", new io.vertx.core.json.JsonArray().add("nope")));
            assertThat(stream.awaitError("Unknown stream type").getInteger("status")).isEqualTo(400);
            stream.send(new JsonObject().put("type", "unsubscribe").put("stream", "nope"));
            JsonObject unsubscribe = stream.awaitError("Error unsubscribing from channel");
            assertThat(unsubscribe.containsKey("status")).isFalse();
            // Unreadable messages and unknown types are ignored, as by Mastodon.
            stream.send(new JsonObject().put("type", "ping"));
            stream.socket().writeTextMessage("not json");
            stream.subscribe("again-nope");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.messages().size() == 6);
            assertThat(stream.closeCode()).isEmpty();
        }
    }

    @Test
    void aTokenWithoutReadScopesMayNotReadTheUserStream() {
        TestAccount reader = signUp("msscope");
        String writeOnly = MastodonTestApi.token(MastodonTestApi.registerApp("write"), reader, "write");
        try (MastodonTestStream stream = MastodonTestStream.withHeader(writeOnly, "")) {
            stream.subscribe("user");
            JsonObject refused = stream.awaitError("Access token does not have the required scopes");
            assertThat(refused.getInteger("status")).isEqualTo(401);
            // Public streams need no scope (and carry nothing here).
            stream.subscribe("public");
            stream.subscribe("no-such-stream");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.messages().size() == 2);
            assertThat(stream.messages().get(1).getString("error")).isEqualTo("Access token does not have the required scopes");
        }
        try (TestEventStream events = TestEventStream.open("/api/v1/streaming/user", writeOnly)) {
            assertThat(events.status()).isEqualTo(401);
            assertThat(new JsonObject(events.awaitBody()).getString("error")).isEqualTo("Access token does not have the required scopes");
        }
    }

    @Test
    void upgradesWithoutAValidUserTokenAreRefusedWith401() {
        MastodonTestStream.Refusal missing = MastodonTestStream.refusal("?stream=user", o -> { });
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().getString("error")).isEqualTo("Missing access token");
        assertThat(missing.headers().get("X-Error-Message")).isEqualTo("Missing access token");
        assertThat(missing.headers().get("Content-Type")).startsWith("application/json");

        MastodonTestStream.Refusal invalid = MastodonTestStream.refusal("?stream=user&access_token=not-a-token", o -> { });
        assertThat(invalid.status()).isEqualTo(401);
        assertThat(invalid.json().getString("error")).isEqualTo("Invalid access token");
        assertThat(MastodonTestStream.refusal("", o -> o.addSubProtocol("not-a-token")).status()).isEqualTo(401);
        assertThat(MastodonTestStream.refusal("", o -> o.addHeader("Authorization", "Bearer not-a-token")).status()).isEqualTo(401);

        // An application's own token acts for no account: nothing to stream.
        MastodonTestApi.App app = MastodonTestApi.registerApp("read");
        String appToken = given().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("grant_type", "client_credentials", "client_id", app.clientId(), "client_secret", app.clientSecret()))
                .post("/oauth/token").then().statusCode(200).extract().path("access_token");
        assertThat(MastodonTestStream.refusal("?access_token=" + appToken, o -> { }).json().getString("error"))
                .isEqualTo("Invalid access token");

        TestAccount signedOut = signUp("mssignedout");
        signedOut.as().delete("/api/sessions/current").then().statusCode(204);
        assertThat(MastodonTestStream.refusal("?stream=user", o -> o.addSubProtocol(signedOut.token())).status()).isEqualTo(401);
    }

    @Test
    void signingOutTheTokenClosesItsStreams() {
        TestAccount reader = signUp("msout");
        String token = MastodonTestApi.token(reader);
        try (MastodonTestStream stream = MastodonTestStream.open("?stream=user", o -> o.addSubProtocol(token));
             TestEventStream events = TestEventStream.open("/api/v1/streaming/user", token)) {
            awaitLive(reader, () -> {
                List<String> both = new java.util.ArrayList<>(stream.updatedIds());
                both.retainAll(events.updatedIds());
                return both;
            });
            as(token).delete("/api/sessions/current").then().statusCode(204);
            assertThat(stream.awaitClose()).isEqualTo(1008);
            events.awaitEnd();
        }
    }

    @Test
    void eventStreamCarriesUpdatesAndDeletes() {
        TestAccount reader = signUp("mssse");
        TestAccount author = signUp("mssseauth");
        follow(reader, author);
        try (TestEventStream events = TestEventStream.open("/api/v1/streaming/user", reader.token())) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(events.header("Cache-Control")).isEqualTo("no-store");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.text().startsWith(":)\n"));
            awaitLive(reader, events::updatedIds);
            String id = post(author, "over server-sent events");
            await().atMost(Duration.ofSeconds(20)).until(() -> events.updatedIds().contains(id));
            JsonObject status = events.events().stream().filter(e -> e.name().equals("update"))
                    .map(TestEventStream.Event::json).filter(s -> s.getString("id").equals(id)).findFirst().orElseThrow();
            assertThat(status.getString("content")).isEqualTo("<p>over server-sent events</p>");
            assertThat(status.getJsonObject("account").getString("username")).isEqualTo(author.username());
            deleteTweet(author, id);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.deletedIds().contains(id));
            assertThat(events.ended()).isFalse();
        }
    }

    @Test
    void eventStreamPathsAnswerAsMastodonDoes() {
        given().get("/api/v1/streaming/health").then().statusCode(200).contentType("text/plain").body(equalTo("OK"));
        given().get("/api/v1/streaming/user").then().statusCode(401).contentType("application/json")
                .body("error", equalTo("Missing access token"));
        given().get("/api/v1/streaming/user?access_token=nonsense").then().statusCode(401)
                .body("error", equalTo("Invalid access token"));
        given().get("/api/v1/streaming/nothing").then().statusCode(400).contentType("application/json")
                .body("error", equalTo("Unknown channel requested"));
        TestAccount reader = signUp("msssepub");
        given().header("Authorization", "Bearer " + reader.token()).get("/api/v1/streaming/public").then().statusCode(400)
                .body("error", equalTo("Flock streams only the user timeline over server-sent events"));
    }

    @Test
    void statusPostedThroughTheMastodonApiReachesFlocksOwnStream() {
        TestAccount reader = signUp("mscross");
        TestAccount author = signUp("mscrossa");
        follow(reader, author);
        String token = MastodonTestApi.token(author);
        try (TestStream stream = TestStream.open(reader.token(), null)) {
            stream.awaitCaughtUp();
            String id = as(token).body(Map.of("status", "from a Mastodon client")).post("/api/v1/statuses").then()
                    .statusCode(200).extract().path("id");
            stream.awaitTweet(id);
            as(token).delete("/api/v1/statuses/" + id).then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.deletedIds().contains(id));
        }
    }
}
