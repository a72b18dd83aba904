package dev.flock.tweet;

import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class TweetApiTest {

    private static Response postRaw(TestAccount author, Object body) {
        return author.as().body(body).post("/api/tweets");
    }

    private static void invalidText(TestAccount author, String text) {
        postRaw(author, Map.of("text", text)).then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("text"));
    }

    static void awaitReadable(String id) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().get("/api/tweets/" + id).then().statusCode(200));
    }

    @Test
    void postedTweetIs201WithLocationAndBecomesReadable() {
        TestAccount a = signUp("poster");
        Response r = postRaw(a, Map.of("text", "hello, world"));
        r.then().statusCode(201)
                .header("Location", endsWith("/api/tweets/" + r.path("id")))
                .body("id", matchesPattern("\\d+"))
                .body("author.id", equalTo(a.id()))
                .body("author.username", equalTo(a.username()))
                .body("text", equalTo("hello, world"))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        String id = r.path("id");
        awaitReadable(id);
        api().get("/api/tweets/" + id).then().body("text", equalTo("hello, world")).body("author.username", equalTo(a.username()));
        api().get("/api/accounts/" + a.username()).then().body("tweetsCount", equalTo(1));
    }

    @Test
    void textIsCountedInCodePointsAtTheBoundary() {
        TestAccount a = signUp("emoji");
        String emoji280 = "😀".repeat(280);
        postRaw(a, Map.of("text", emoji280)).then().statusCode(201).body("text", equalTo(emoji280));
        postRaw(a, Map.of("text", "x".repeat(280))).then().statusCode(201);
        invalidText(a, "x".repeat(281));
        invalidText(a, "😀".repeat(281));
    }

    @Test
    void textIsNormalisedTrimmedAndFreeOfControlCharacters() {
        TestAccount a = signUp("nfc");
        postRaw(a, Map.of("text", "  cafe\u0301\n  ")).then().statusCode(201).body("text", equalTo("caf\u00e9"));
        postRaw(a, Map.of("text", "two\nlines")).then().statusCode(201).body("text", equalTo("two\nlines"));
        // 281 decomposed characters become 280 after NFC: accepted.
        postRaw(a, Map.of("text", "e\u0301" + "x".repeat(279))).then().statusCode(201);
        invalidText(a, "   ");
        invalidText(a, "");
        invalidText(a, "bell\u0007");
        invalidText(a, "tab\there");
        invalidText(a, "cr\r\nlf");
        postRaw(a, Map.of()).then().statusCode(400).body("errors.field", hasItem("text"));
        postRaw(a, Map.of("text", "hi", "author", "someone")).then().statusCode(400).contentType("application/problem+json");
        a.as().body("{\"text\": ").post("/api/tweets").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void postingNeedsAToken() {
        api().body(Map.of("text", "anonymous")).post("/api/tweets").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void idempotencyKeyReplaysTheFirstTweet() {
        TestAccount a = signUp("idem");
        TestAccount b = signUp("idem");
        String first = a.as().header("Idempotency-Key", "k-1").body(Map.of("text", "once")).post("/api/tweets")
                .then().statusCode(201).extract().path("id");
        a.as().header("Idempotency-Key", "k-1").body(Map.of("text", "once")).post("/api/tweets")
                .then().statusCode(201).body("id", equalTo(first));
        awaitReadable(first);
        // Also after it is stored, when the answer comes from the database.
        a.as().header("Idempotency-Key", "k-1").body(Map.of("text", "once")).post("/api/tweets")
                .then().statusCode(201).body("id", equalTo(first));
        String other = a.as().header("Idempotency-Key", "k-2").body(Map.of("text", "once")).post("/api/tweets")
                .then().statusCode(201).extract().path("id");
        String theirs = b.as().header("Idempotency-Key", "k-1").body(Map.of("text", "once")).post("/api/tweets")
                .then().statusCode(201).extract().path("id");
        assertThat(List.of(first, other, theirs)).doesNotHaveDuplicates();
        awaitReadable(other);
        api().get("/api/accounts/" + a.username() + "/tweets").then().body("items.id", equalTo(List.of(other, first)));

        a.as().header("Idempotency-Key", "x".repeat(65)).body(Map.of("text", "k")).post("/api/tweets").then().statusCode(400);
        a.as().header("Idempotency-Key", "caf\u00e9").body(Map.of("text", "k")).post("/api/tweets").then().statusCode(400);
    }

    @Test
    void onlyTheAuthorDeletesAndDeletedTweetsLeaveEveryRead() {
        TestAccount author = signUp("del");
        TestAccount other = signUp("del");
        dev.flock.testing.TestApi.follow(other, author);
        String id = post(author, "soon gone");
        awaitReadable(id);
        other.as().delete("/api/tweets/" + id).then().statusCode(403).contentType("application/problem+json");
        api().delete("/api/tweets/" + id).then().statusCode(401);
        author.as().delete("/api/tweets/" + id).then().statusCode(204);

        api().get("/api/tweets/" + id).then().statusCode(404).contentType("application/problem+json");
        author.as().delete("/api/tweets/" + id).then().statusCode(404);
        api().get("/api/accounts/" + author.username() + "/tweets").then().body("items", org.hamcrest.Matchers.empty());
        other.as().get("/api/timeline/home").then().body("items", org.hamcrest.Matchers.empty());
        author.as().get("/api/timeline/home").then().body("items", org.hamcrest.Matchers.empty());
        api().get("/api/accounts/" + author.username()).then().body("tweetsCount", equalTo(0));

        author.as().delete("/api/tweets/999999999999").then().statusCode(404);
        author.as().delete("/api/tweets/not-an-id").then().statusCode(404);
        api().get("/api/tweets/-5").then().statusCode(404);
    }

    @Test
    void pagingFortyFiveTweetsGivesEachOnceInStrictIdOrder() {
        TestAccount a = signUp("pager");
        List<String> posted = IntStream.range(0, 45).mapToObj(i -> post(a, "tweet " + i)).toList();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                api().get("/api/accounts/" + a.username()).then().body("tweetsCount", equalTo(45)));

        for (String base : List.of("/api/accounts/" + a.username() + "/tweets?limit=20", "/api/timeline/home?limit=20")) {
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String url = base;
            while (url != null) {
                Response page = a.as().get(url);
                page.then().statusCode(200);
                List<String> ids = page.path("items.id");
                sizes.add(ids.size());
                seen.addAll(ids);
                String link = page.header("Link");
                url = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
                assertThat(link == null).isEqualTo(page.path("next") == null);
            }
            assertThat(sizes).containsExactly(20, 20, 5);
            assertThat(seen).doesNotHaveDuplicates().hasSize(45);
            assertThat(seen.stream().map(Long::parseLong).toList()).isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(seen).containsExactlyInAnyOrderElementsOf(posted);
        }

        String tenth = posted.get(9);
        List<String> newer = a.as().get("/api/accounts/" + a.username() + "/tweets?limit=100&after=" + tenth).path("items.id");
        List<String> expected = new ArrayList<>(posted.subList(10, 45));
        java.util.Collections.reverse(expected);
        assertThat(newer).containsExactlyElementsOf(expected);
        List<String> home = a.as().get("/api/timeline/home?limit=100&after=" + tenth).path("items.id");
        assertThat(home).isEqualTo(newer);
    }

    @Test
    void badPagingParametersAre400() {
        TestAccount a = signUp("bad");
        for (String query : List.of("limit=0", "limit=101", "limit=x", "before=abc", "after=-1", "before=1e3")) {
            a.as().get("/api/timeline/home?" + query).then().statusCode(400).contentType("application/problem+json");
            api().get("/api/accounts/" + a.username() + "/tweets?" + query).then().statusCode(400);
        }
        api().get("/api/accounts/nobody_" + System.nanoTime() + "/tweets").then().statusCode(404);
        api().get("/api/timeline/home").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void postingIsRateLimitedPerAccount() throws Exception {
        TestAccount a = signUp("flood");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<Response>> sent = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 360; i++) {
            String text = "flood " + i;
            sent.add(pool.submit(() -> postRaw(a, Map.of("text", text))));
        }
        List<Response> answers = new ArrayList<>();
        for (java.util.concurrent.Future<Response> f : sent) {
            answers.add(f.get());
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        long created = answers.stream().filter(r -> r.statusCode() == 201).count();
        List<Response> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        // 300 per minute: the full bucket plus what refilled (5 per second) while the burst ran.
        assertThat(created).isBetween(300L, 300L + (long) Math.ceil(seconds * 5) + 1);
        assertThat(limited).isNotEmpty();
        assertThat(created + limited.size()).isEqualTo(360);
        limited.get(0).then().contentType("application/problem+json").header("Retry-After", matchesPattern("\\d+"));
        // Another account is not affected.
        post(signUp("calm"), "unaffected");
    }

    @Test
    void concurrentPostsGetUniqueIds() throws Exception {
        TestAccount a = signUp("burst");
        // Threads from an executor made here inherit this thread's class loader (a parallel stream's do not).
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<String>> made = IntStream.range(0, 100)
                .mapToObj(i -> pool.submit(() -> post(a, "burst " + i))).collect(Collectors.toList());
        List<String> ids = new ArrayList<>();
        for (java.util.concurrent.Future<String> f : made) {
            ids.add(f.get());
        }
        pool.shutdown();
        assertThat(ids).doesNotHaveDuplicates().hasSize(100);
    }
}
