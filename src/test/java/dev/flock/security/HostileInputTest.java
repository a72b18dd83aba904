package dev.flock.security;

import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.fromAddress;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.randomAddress;
import static dev.flock.testing.TestApi.signUp;
import static dev.flock.testing.TestApi.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, hostile input: every attack over real HTTP and WebSockets answers its documented 4xx with
 * application/problem+json (WebSocket upgrade refusals have no body), never a 5xx, never acts across accounts, and
 * the service stays ready. The measured answers are written to target/hostile-input.txt for docs/reliability.md.
 */
@QuarkusTest
class HostileInputTest {

    static final List<String> PAYLOADS = List.of("' OR 1=1 --", "\"; DROP TABLE tweets; --", "<script>alert(1)</script>");
    static final String PROBLEM = "application/problem+json";

    /** What each test measured: label -> status counts, written out after the class. */
    static final Map<String, String> MEASURED = new ConcurrentHashMap<>();

    @AfterAll
    static void report() throws IOException {
        String text = new TreeMap<>(MEASURED).entrySet().stream().map(e -> e.getKey() + " | " + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        System.out.println("Hostile input measurements:\n" + text);
        Files.writeString(Path.of("target", "hostile-input.txt"), text);
    }

    // --- bodies -------------------------------------------------------------------------------------------------

    @Test
    void malformedJsonBodiesAre400() {
        TestAccount a = signUp("malformed");
        List<String> bodies = List.of("", "not json", "{", "{\"text\":", "{\"text\": \"a\",}", "{'text': 'a'}",
                "[]", "\"text\"", "null", "42", "{\"text\": \"a\"} trailing", "{\"text\": [\"a\"]}", "{\"text\": {\"a\": 1}}",
                "{\"text\": \"\\u00\"}", "{\"text\": \"a\", \"text\": \"b\"}");
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (String body : bodies) {
            for (String[] call : List.of(new String[]{"/api/tweets", "auth"}, new String[]{"/api/accounts", ""}, new String[]{"/api/sessions", ""})) {
                Response r = (call[1].isEmpty() ? api() : a.as()).body(body).post(call[0]);
                count(statuses, r.statusCode());
                assertProblem(r, call[0] + " " + body, 400, 401);
                if (call[0].equals("/api/tweets")) {
                    assertThat(r.statusCode()).as(body).isEqualTo(400);
                }
            }
        }
        MEASURED.put("malformed JSON (" + bodies.size() + " bodies x 3 endpoints)", statuses.toString());
        assertReady();
    }

    @Test
    void deeplyNestedJsonIs400() {
        TestAccount a = signUp("nested");
        int depth = 10_000;
        String arrays = "[".repeat(depth) + "]".repeat(depth);
        StringBuilder objects = new StringBuilder();
        objects.append("{\"a\":".repeat(depth)).append("1").append("}".repeat(depth));
        Map<String, Integer> answers = new LinkedHashMap<>();
        for (Map.Entry<String, String> body : Map.of(
                "text = 10,000 nested arrays", "{\"text\": " + arrays + "}",
                "body = 10,000 nested arrays", arrays,
                "body = 10,000 nested objects", objects.toString()).entrySet()) {
            Response r = a.as().body(body.getValue()).post("/api/tweets");
            assertProblem(r, body.getKey(), 400);
            answers.put(body.getKey(), r.statusCode());
            Response signUp = api().body(body.getValue()).post("/api/accounts");
            assertProblem(signUp, "sign-up " + body.getKey(), 400);
        }
        MEASURED.put("deeply nested JSON (POST /api/tweets, /api/accounts)", answers.toString());
        assertThat(api().get("/api/accounts/" + a.username() + "/tweets").<List<?>>path("items")).isEmpty();
        assertReady();
    }

    @Test
    void tenMegabyteBodyIs413() throws Exception {
        TestAccount a = signUp("huge");
        byte[] body = ("{\"text\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII);
        RawAnswer withLength = raw("POST /api/tweets HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + a.token()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body, false);
        RawAnswer chunked = raw("POST /api/tweets HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + a.token()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", body, true);
        RawAnswer signUpBody = raw("POST /api/accounts HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + randomAddress()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body, false);
        MEASURED.put("10 MB body", "Content-Length: " + withLength + "; chunked: " + chunked + "; sign-up: " + signUpBody);
        // A chunked body announces no length: the framework stops reading at the limit and answers a bare 413 itself.
        assertThat(chunked.status).as(chunked.toString()).isEqualTo(413);
        for (RawAnswer answer : List.of(withLength, signUpBody)) {
            assertThat(answer.status).as(answer.toString()).isEqualTo(413);
            assertThat(answer.contentType()).as(answer.toString()).startsWith(PROBLEM);
            assertThat(new JsonObject(answer.body).getInteger("status")).isEqualTo(413);
        }
        assertThat(api().get("/api/accounts/" + a.username() + "/tweets").<List<?>>path("items")).isEmpty();
        assertReady();
    }

    @Test
    void invalidUtf8Is400() {
        TestAccount a = signUp("utf");
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("0xFF 0xFE", json("{\"text\": \"a", new byte[]{(byte) 0xFF, (byte) 0xFE}, "b\"}"));
        bodies.put("lone continuation 0x80", json("{\"text\": \"", new byte[]{(byte) 0x80}, "\"}"));
        bodies.put("overlong NUL 0xC0 0x80", json("{\"text\": \"", new byte[]{(byte) 0xC0, (byte) 0x80}, "\"}"));
        bodies.put("truncated 3-byte 0xE2 0x82", json("{\"text\": \"", new byte[]{(byte) 0xE2, (byte) 0x82}, "\"}"));
        bodies.put("UTF-16 surrogate 0xED 0xA0 0x80", json("{\"text\": \"", new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}"));
        Map<String, Integer> answers = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
            Response r = a.as().body(body.getValue()).post("/api/tweets");
            answers.put(body.getKey(), r.statusCode());
            assertProblem(r, body.getKey(), 400);
            byte[] account = json("{\"username\": \"" + uniqueName("u") + "\", \"password\": \"password-", body.getValue().length > 0
                    ? new byte[]{(byte) 0xFF} : new byte[0], "\"}");
            assertProblem(api().body(account).post("/api/accounts"), "sign-up " + body.getKey(), 400);
        }
        MEASURED.put("invalid UTF-8 in a JSON body", answers.toString());
        assertThat(api().get("/api/accounts/" + a.username() + "/tweets").<List<?>>path("items")).isEmpty();
        assertReady();
    }

    @Test
    void hugeHeadersAreRefused() throws Exception {
        TestAccount a = signUp("headers");
        RawAnswer oneBig = raw("GET /api/accounts/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + a.token()
                + "\r\nX-Junk: " + "x".repeat(40 * 1024) + "\r\nConnection: close\r\n\r\n", new byte[0], false);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            many.append("X-Junk-").append(i).append(": ").append("y".repeat(100)).append("\r\n");
        }
        RawAnswer manySmall = raw("GET /api/accounts/me HTTP/1.1\r\nHost: localhost\r\n" + many + "Connection: close\r\n\r\n", new byte[0], false);
        RawAnswer bigToken = raw("GET /api/accounts/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + "A".repeat(40 * 1024)
                + "\r\nConnection: close\r\n\r\n", new byte[0], false);
        RawAnswer longUri = raw("GET /api/accounts/" + "u".repeat(8 * 1024) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", new byte[0], false);
        MEASURED.put("huge headers", "one 40 KB header: " + oneBig + "; 400 x 100 B headers: " + manySmall
                + "; 40 KB bearer token: " + bigToken + "; 8 KB path: " + longUri);
        for (RawAnswer answer : List.of(oneBig, manySmall, bigToken)) {
            // Vert.x refuses an oversized header block in its HTTP decoder, before any route or mapper runs.
            assertThat(answer.status).as(answer.toString()).isEqualTo(431);
        }
        assertThat(longUri.status).as(longUri.toString()).isIn(404, 414);
        assertReady();
    }

    // --- SQL and script payloads --------------------------------------------------------------------------------

    @Test
    void sqlAndScriptPayloadsInPathsAndQueriesAreRefusedOrNotFound() {
        TestAccount a = signUp("inject");
        String mine = post(a, "still here");
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (String p : PAYLOADS) {
            String seg = segment(p);
            for (String path : List.of("/api/accounts/" + seg, "/api/accounts/" + seg + "/followers",
                    "/api/accounts/" + seg + "/following", "/api/accounts/" + seg + "/tweets",
                    "/api/tweets/" + seg)) {
                Response r = api().urlEncodingEnabled(false).get(path);
                count(statuses, r.statusCode());
                assertProblem(r, "GET " + path, 404, 400);
            }
            for (String method : List.of("PUT", "DELETE")) {
                Response r = a.as().urlEncodingEnabled(false).request(method, "/api/accounts/" + seg + "/follow");
                count(statuses, r.statusCode());
                if (method.equals("DELETE") && r.statusCode() == 204) {
                    continue; // unfollowing is idempotent: nothing to undo is not an error
                }
                assertProblem(r, method + " follow " + p, 404, 400);
            }
            Response delete = a.as().urlEncodingEnabled(false).delete("/api/tweets/" + seg);
            count(statuses, delete.statusCode());
            assertProblem(delete, "DELETE tweet " + p, 404, 400);
            for (String name : List.of("before", "after", "limit")) {
                for (String base : List.of("/api/accounts/" + a.username() + "/tweets", "/api/timeline/home")) {
                    Response r = a.as().queryParam(name, p).get(base);
                    count(statuses, r.statusCode());
                    assertProblem(r, base + "?" + name + "=" + p, 400);
                }
            }
            for (String base : List.of("/followers", "/following")) {
                Response r = api().queryParam("cursor", p).get("/api/accounts/" + a.username() + base);
                count(statuses, r.statusCode());
                assertProblem(r, base + "?cursor=" + p, 400);
                r = api().queryParam("limit", p).get("/api/accounts/" + a.username() + base);
                count(statuses, r.statusCode());
                assertProblem(r, base + "?limit=" + p, 400);
            }
            assertThat(TestStream.upgradeStatus(a.token(), "?cursor=" + URLEncoder.encode(p, StandardCharsets.UTF_8), o -> { }))
                    .as("stream cursor=" + p).isEqualTo(400);
        }
        for (String path : List.of("/api/tweets/1%20OR%201=1", "/api/tweets/1;DROP%20TABLE%20tweets", "/api/tweets/" + mine + "%20OR%201=1",
                "/api/tweets/-1", "/api/tweets/99999999999999999999999", "/api/tweets/0x10")) {
            Response r = api().urlEncodingEnabled(false).get(path);
            count(statuses, r.statusCode());
            assertProblem(r, path, 404);
        }
        MEASURED.put("SQL/script payloads in path and query parameters", statuses.toString());
        awaitReadable(mine);
        api().get("/api/accounts/" + a.username()).then().statusCode(200);
        assertReady();
    }

    @Test
    void sqlAndScriptPayloadsInBodiesAreRejectedOrStoredVerbatim() {
        Map<String, Integer> statuses = new TreeMap<>();
        TestAccount a = signUp("verbatim");
        String before = post(a, "before the payloads");
        for (String p : PAYLOADS) {
            // Tweet text: stored and answered exactly as sent, JSON-escaped.
            String id = a.as().body(Map.of("text", p)).post("/api/tweets").then().statusCode(201).extract().path("id");
            awaitReadable(id);
            Response read = api().get("/api/tweets/" + id);
            assertThat(read.<String>path("text")).isEqualTo(p);
            String encoded = JsonObject.of("t", p).encode(); // {"t":"<the text, JSON-escaped>"}
            assertThat(read.body().asString()).contains("\"text\":" + encoded.substring(5, encoded.length() - 1));
            assertThat(api().get("/api/accounts/" + a.username() + "/tweets").<List<String>>path("items.text")).contains(p);
            assertThat(a.as().get("/api/timeline/home").<List<String>>path("items.text")).contains(p);
            statuses.merge("tweet text stored verbatim", 1, Integer::sum);

            // The same payload as an Idempotency-Key (printable ASCII, so legal) replays the first tweet.
            String keyed = a.as().header("Idempotency-Key", p).body(Map.of("text", "keyed " + p)).post("/api/tweets").then().statusCode(201).extract().path("id");
            String again = a.as().header("Idempotency-Key", p).body(Map.of("text", "keyed " + p)).post("/api/tweets").then().statusCode(201).extract().path("id");
            assertThat(again).isEqualTo(keyed);

            // Username: outside [A-Za-z0-9_], so 400; displayName and bio: stored verbatim.
            Response badName = api().body(Map.of("username", p, "password", "long-enough-password")).post("/api/accounts");
            assertProblem(badName, "username " + p, 400);
            statuses.merge("username 400", 1, Integer::sum);
            String name = uniqueName("pl");
            Response created = api().body(Map.of("username", name, "password", p + p, "displayName", p, "bio", p)).post("/api/accounts");
            assertThat(created.statusCode()).as(created.body().asString()).isEqualTo(201);
            api().get("/api/accounts/" + name).then().statusCode(200);
            assertThat(api().get("/api/accounts/" + name).<String>path("displayName")).isEqualTo(p);
            assertThat(api().get("/api/accounts/" + name).<String>path("bio")).isEqualTo(p);
            statuses.merge("displayName/bio stored verbatim", 1, Integer::sum);

            // Log-in: the payload as username or password only ever fails as a wrong guess.
            Response asUser = api().body(Map.of("username", p, "password", p + p)).post("/api/sessions");
            assertProblem(asUser, "login username " + p, 401, 400);
            statuses.merge("login with payload username " + asUser.statusCode(), 1, Integer::sum);
            Response asPassword = api().body(Map.of("username", a.username(), "password", p)).post("/api/sessions");
            assertProblem(asPassword, "login password " + p, 401, 400);
            statuses.merge("login with payload password " + asPassword.statusCode(), 1, Integer::sum);
            // But the payload as a real password works, for its own account only.
            assertThat(api().body(Map.of("username", name, "password", p + p)).post("/api/sessions").statusCode()).isEqualTo(200);
        }
        // The tables the payloads named are intact.
        api().get("/api/tweets/" + before).then().statusCode(200);
        assertThat(api().get("/api/accounts/" + a.username()).<Integer>path("tweetsCount")).isGreaterThanOrEqualTo(1 + 2 * PAYLOADS.size());
        MEASURED.put("SQL/script payloads in JSON fields", statuses.toString());
        assertReady();
    }

    // --- forged tokens ------------------------------------------------------------------------------------------

    @Test
    void forgedTokensAre401Everywhere() throws Exception {
        TestAccount attacker = signUp("forger");
        TestAccount victim = signUp("victim");
        String victimTweet = post(victim, "mine alone");
        awaitReadable(victimTweet);
        int victimFollowers = api().get("/api/accounts/" + victim.username()).path("followersCount");

        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("other key", Jwt.issuer("flock").subject(victim.id()).upn(victim.username()).groups("user")
                .expiresIn(3600).sign(generator.generateKeyPair().getPrivate()));
        forged.put("alg none", b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"flock\",\"sub\":\"" + victim.id() + "\",\"upn\":\"" + victim.username()
                + "\",\"groups\":[\"user\"],\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8)) + ".");
        forged.put("alg none, signature kept", replaceHeader(attacker.token(), "{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        forged.put("expired", Jwt.issuer("flock").subject(victim.id()).upn(victim.username()).groups("user")
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(60)).sign());
        forged.put("wrong issuer", Jwt.issuer("evil").subject(victim.id()).upn(victim.username()).groups("user").expiresIn(3600).sign());
        forged.put("tampered sub", tamper(attacker.token(), claims -> claims.put("sub", victim.id()).put("upn", victim.username())));
        forged.put("tampered exp", tamper(attacker.token(), claims -> claims.put("exp", exp + 86_400 * 365)));
        String publicKey = ConfigProvider.getConfig().getValue("mp.jwt.verify.publickey", String.class);
        forged.put("HS256 keyed with the public key", Jwt.issuer("flock").subject(victim.id()).upn(victim.username()).groups("user")
                .expiresIn(3600).jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.HS256).signWithSecret(publicKey));
        forged.put("garbage", "eyJhbGciOiJSUzI1NiJ9.%%%.???");

        int refusals = 0;
        for (Map.Entry<String, String> token : forged.entrySet()) {
            String bearer = "Bearer " + token.getValue();
            String what = token.getKey();
            assertProblem(api().header("Authorization", bearer).get("/api/accounts/me"), what + " me", 401);
            assertProblem(api().header("Authorization", bearer).get("/api/timeline/home"), what + " home", 401);
            assertProblem(api().header("Authorization", bearer).body(Map.of("text", "as the victim")).post("/api/tweets"), what + " post", 401);
            assertProblem(api().header("Authorization", bearer).delete("/api/tweets/" + victimTweet), what + " delete", 401);
            assertProblem(api().header("Authorization", bearer).put("/api/accounts/" + attacker.username() + "/follow"), what + " follow", 401);
            assertProblem(api().header("Authorization", bearer).delete("/api/accounts/" + attacker.username() + "/follow"), what + " unfollow", 401);
            assertThat(TestStream.upgradeStatus(null, "", o -> o.addHeader("Authorization", bearer))).as(what + " stream").isEqualTo(401);
            assertThat(TestStream.upgradeStatus(null, "?ticket=" + URLEncoder.encode(token.getValue(), StandardCharsets.UTF_8), o -> { }))
                    .as(what + " stream ticket").isEqualTo(401);
            refusals += 8;
        }
        MEASURED.put("forged tokens", forged.size() + " kinds x 8 calls (6 REST + 2 WebSocket upgrades): " + refusals + " x 401");
        // No effect on the victim: the tweet is there, nothing was posted or followed in their name.
        api().get("/api/tweets/" + victimTweet).then().statusCode(200);
        assertThat(api().get("/api/accounts/" + victim.username() + "/tweets").<List<String>>path("items.id")).containsExactly(victimTweet);
        assertThat(api().get("/api/accounts/" + victim.username()).<Integer>path("followingCount")).isZero();
        assertThat(api().get("/api/accounts/" + victim.username()).<Integer>path("followersCount")).isEqualTo(victimFollowers);
        assertThat(api().get("/api/accounts/" + attacker.username()).<Integer>path("followersCount")).isZero();
        assertReady();
    }

    // --- acting on another account ------------------------------------------------------------------------------

    @Test
    void noOneActsOnAnotherAccount() {
        TestAccount attacker = signUp("mallory");
        TestAccount victim = signUp("alice");
        String victimTweet = post(victim, "only I may delete this");
        awaitReadable(victimTweet);
        Response delete = attacker.as().delete("/api/tweets/" + victimTweet);
        assertProblem(delete, "delete another's tweet", 403);
        api().get("/api/tweets/" + victimTweet).then().statusCode(200);

        Map<String, Integer> statuses = new LinkedHashMap<>();
        statuses.put("DELETE another's tweet", delete.statusCode());
        for (Map<String, Object> body : List.of(
                Map.<String, Object>of("text", "x", "author", victim.id()),
                Map.<String, Object>of("text", "x", "author", Map.of("id", victim.id(), "username", victim.username())),
                Map.<String, Object>of("text", "x", "authorId", victim.id()),
                Map.<String, Object>of("text", "x", "id", "1"),
                Map.<String, Object>of("text", "x", "createdAt", "2000-01-01T00:00:00.000Z"))) {
            Response r = attacker.as().body(body).post("/api/tweets");
            assertProblem(r, body.toString(), 400);
            statuses.put("POST tweet with " + body.keySet().stream().filter(k -> !k.equals("text")).findFirst().orElseThrow(), r.statusCode());
        }
        // Sign-up cannot choose an id or counts either.
        Response withId = api().body(Map.of("username", uniqueName("dup"), "password", "long-enough-password", "id", victim.id())).post("/api/accounts");
        assertProblem(withId, "sign-up with id", 400);
        statuses.put("sign-up with id", withId.statusCode());
        // The author of a post is always the token's subject.
        String own = post(attacker, "by me");
        awaitReadable(own);
        assertThat(api().get("/api/tweets/" + own).<String>path("author.id")).isEqualTo(attacker.id());
        // Nothing appeared in the victim's name, and the victim can still delete their own tweet.
        assertThat(api().get("/api/accounts/" + victim.username() + "/tweets").<List<String>>path("items.id")).containsExactly(victimTweet);
        victim.as().delete("/api/tweets/" + victimTweet).then().statusCode(204);
        MEASURED.put("acting on another account", statuses.toString());
        assertReady();
    }

    // --- WebSocket ----------------------------------------------------------------------------------------------

    @Test
    void hostileWebSocketFramesCloseTheStream() {
        TestAccount a = signUp("wsframes");
        Map<String, Integer> closes = new LinkedHashMap<>();
        List<Map.Entry<String, java.util.function.Consumer<TestStream>>> sends = List.of(
                Map.entry("binary 1 byte", s -> s.socket().writeBinaryMessage(Buffer.buffer(new byte[]{0}))),
                Map.entry("binary 4,000 bytes", s -> s.socket().writeBinaryMessage(Buffer.buffer(new byte[4000]))),
                Map.entry("binary 64 KB", s -> s.socket().writeBinaryMessage(Buffer.buffer(new byte[64 * 1024]))),
                Map.entry("text 5,000 bytes of SQL", s -> s.socket().writeTextMessage(("' OR 1=1 -- ".repeat(417)).substring(0, 5000))),
                Map.entry("text 1 MB", s -> s.socket().writeTextMessage("x".repeat(1024 * 1024))),
                Map.entry("text JSON subscribe", s -> s.socket().writeTextMessage("{\"type\":\"subscribe\",\"account\":\"1\"}")),
                Map.entry("text script", s -> s.socket().writeTextMessage("<script>alert(1)</script>")));
        for (Map.Entry<String, java.util.function.Consumer<TestStream>> send : sends) {
            try (TestStream stream = TestStream.open(a.token(), null)) {
                stream.awaitCaughtUp();
                send.getValue().accept(stream);
                Integer code = stream.awaitClose();
                closes.put(send.getKey(), code);
                if (send.getKey().equals("binary 1 byte") || send.getKey().equals("binary 4,000 bytes")
                        || send.getKey().startsWith("text JSON") || send.getKey().startsWith("text script")) {
                    assertThat(code).as(send.getKey()).isEqualTo(1008);
                } else {
                    assertThat(code).as(send.getKey()).isIn(1008, 1009);
                }
            }
        }
        MEASURED.put("WebSocket hostile frames (close codes)", closes.toString());
        // The account's streams still work afterwards.
        try (TestStream stream = TestStream.open(a.token(), null)) {
            stream.awaitCaughtUp();
            String id = post(a, "after the hostile frames");
            stream.awaitTweet(id);
        }
        assertReady();
    }

    @Test
    void upgradeFloodWithoutTokenIsAll401AndServiceStaysReady() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        List<Future<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            attempts.add(pool.submit(() -> switch (n % 4) {
                case 0 -> TestStream.upgradeStatus(null, "", o -> { });
                case 1 -> TestStream.upgradeStatus(null, "?ticket=", o -> { });
                case 2 -> TestStream.upgradeStatus(null, "", o -> o.addHeader("Authorization", "Bearer x" + n));
                default -> TestStream.upgradeStatus(null, "?cursor=AQ", o -> o.addHeader("Authorization", "Basic YTpi"));
            }));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<Integer> f : attempts) {
            count(statuses, f.get());
        }
        pool.shutdown();
        long millis = (System.nanoTime() - started) / 1_000_000;
        MEASURED.put("WebSocket upgrade flood (200 attempts, 8 in parallel)", statuses + " in " + millis + " ms");
        assertThat(statuses).containsOnlyKeys(401);
        assertThat(statuses.get(401)).isEqualTo(200);
        // A legitimate stream still opens.
        TestAccount a = signUp("afterflood");
        try (TestStream stream = TestStream.open(a.token(), null)) {
            stream.awaitCaughtUp();
        }
        assertReady();
    }

    // --- floods -------------------------------------------------------------------------------------------------

    @Test
    void signUpFloodFromOneAddressIs429() {
        String address = randomAddress();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Response first429 = null;
        for (int i = 0; i < 25; i++) {
            Response r = fromAddress(address).body(Map.of("username", uniqueName("spam"), "password", "long-enough-password")).post("/api/accounts");
            count(statuses, r.statusCode());
            if (r.statusCode() != 201) {
                assertProblem(r, "sign-up " + i, 429);
                first429 = first429 == null ? r : first429;
            }
        }
        MEASURED.put("sign-up flood: 25 from one X-Forwarded-For", statuses.toString());
        assertThat(statuses).isEqualTo(Map.of(201, 20, 429, 5));
        assertThat(first429.header("Retry-After")).matches("\\d+");
        // Another address still signs up.
        signUp("otheraddr");
        assertReady();
    }

    @Test
    void postFloodOverThePerAccountLimitIs429() throws Exception {
        TestAccount a = signUp("postflood");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Response>> sent = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 360; i++) {
            String text = "flood " + i;
            sent.add(pool.submit(() -> a.as().body(Map.of("text", text)).post("/api/tweets")));
        }
        List<Response> answers = new ArrayList<>();
        for (Future<Response> f : sent) {
            answers.add(f.get());
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<Integer, Integer> statuses = new TreeMap<>();
        answers.forEach(r -> count(statuses, r.statusCode()));
        MEASURED.put("post flood: 360 posts, 16 in parallel, one account (limit 300/min)",
                statuses + String.format(" in %.1f s", seconds));
        assertThat(statuses).containsOnlyKeys(201, 429);
        // The full bucket plus what refilled (5 per second) while the burst ran.
        assertThat((long) statuses.get(201)).isBetween(300L, 300L + (long) Math.ceil(seconds * 5) + 1);
        Response limited = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertProblem(limited, "post flood", 429);
        assertThat(limited.header("Retry-After")).matches("\\d+");
        // Another account is not affected.
        post(signUp("calmposter"), "unaffected");
        assertReady();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static void assertProblem(Response r, String what, Integer... allowed) {
        String body = r.body().asString();
        assertThat(r.statusCode()).as(what + " -> " + body).isIn((Object[]) allowed);
        assertThat(r.contentType()).as(what + " content type").startsWith(PROBLEM);
        assertThat(new JsonObject(body).getInteger("status")).as(what).isEqualTo(r.statusCode());
        assertThat(body).as(what).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
    }

    private static void assertReady() {
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static void count(Map<Integer, Integer> statuses, int status) {
        assertThat(status).as("never a 5xx").isLessThan(500);
        statuses.merge(status, 1, Integer::sum);
    }

    private static void awaitReadable(String id) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> api().get("/api/tweets/" + id).statusCode() == 200);
    }

    private static String segment(String p) {
        return URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] json(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String tamper(String token, Function<JsonObject, JsonObject> change) {
        String[] parts = token.split("\\.");
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        return parts[0] + "." + enc.encodeToString(change.apply(claims).encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static String replaceHeader(String token, String header) {
        String[] parts = token.split("\\.");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];
    }

    record RawAnswer(int status, Map<String, String> headers, String body) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        @Override
        public String toString() {
            return status + " " + (contentType().isEmpty() ? "(no Content-Type)" : contentType())
                    + (body.isEmpty() ? ", empty body" : ", " + body.length() + " B body");
        }
    }

    /** Sends bytes over a plain socket (so nothing in between trims or refuses them) and reads the one answer. */
    private static RawAnswer raw(String head, byte[] body, boolean chunked) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    if (chunked) {
                        for (int i = 0; i < body.length; i += 8192) {
                            int n = Math.min(8192, body.length - i);
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(body, i, n);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(body);
                    }
                    out.flush();
                } catch (IOException closedByServer) {
                    // The server may answer and close before reading everything; the answer is what counts.
                }
            });
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received.write(buffer, 0, n);
                    if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // use what arrived
            }
            writer.join(5_000);
            String text = received.toString(StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return new RawAnswer(-1, Map.of(), "connection closed without an answer");
            }
            int split = text.indexOf("\r\n\r\n");
            String[] lines = (split < 0 ? text : text.substring(0, split)).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
                }
            }
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), headers, split < 0 ? "" : text.substring(split + 4));
        }
    }

    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int end = head.indexOf("\r\n", at);
        int length = Integer.parseInt(head.substring(at + 15, end < 0 ? head.length() : end).trim());
        return text.length() - split - 4 >= length;
    }
}
