package dev.flock.mastodon;

import dev.flock.testing.TestApi;
import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.flock.mastodon.MastodonTestApi.as;
import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.signUp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.isA;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class MastodonApiTest {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private static String postStatus(String token, String text) {
        return as(token).body(Map.of("status", text)).post("/api/v1/statuses").then().statusCode(200).extract().path("id");
    }

    /** Waits until the store consumer has the status, so reads see it. */
    private static void stored(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/api/v1/statuses/" + id).statusCode() == 200);
    }

    @Test
    void instanceDescribesTheServerAsClientsExpect() {
        given().get("/api/v1/instance").then().statusCode(200).contentType("application/json")
                .body("uri", matchesPattern("localhost:\\d+"))
                .body("version", matchesPattern("4\\.3\\.0 \\(compatible; Flock .+\\)"))
                .body("urls.streaming_api", matchesPattern("ws://localhost:\\d+"))
                .body("configuration.statuses.max_characters", equalTo(280))
                .body("stats.user_count", isA(Integer.class))
                .body("languages", isA(List.class))
                .body("rules", empty());
        given().get("/api/v2/instance").then().statusCode(200)
                .body("domain", matchesPattern("localhost:\\d+"))
                .body("version", startsWith("4.3.0 (compatible; Flock "))
                .body("configuration.urls.streaming", matchesPattern("ws://localhost:\\d+"))
                .body("configuration.statuses.max_characters", equalTo(280))
                .body("configuration.media_attachments.supported_mime_types", empty())
                .body("registrations.enabled", equalTo(false))
                .body("contact.account", nullValue());
    }

    @Test
    void verifyCredentialsAnswersTheCallersAccount() {
        TestAccount a = signUp("mverify");
        String token = MastodonTestApi.token(a);
        as(token).get("/api/v1/accounts/verify_credentials").then().statusCode(200).contentType("application/json")
                .body("id", equalTo(a.id()))
                .body("username", equalTo(a.username()))
                .body("acct", equalTo(a.username()))
                .body("display_name", equalTo(a.username()))
                .body("note", equalTo(""))
                .body("created_at", matchesPattern(TIME))
                .body("url", matchesPattern("http://localhost:\\d+/@" + a.username()))
                .body("avatar", matchesPattern("http://localhost:\\d+/avatars/original/missing\\.png"))
                .body("locked", equalTo(false))
                .body("bot", equalTo(false))
                .body("statuses_count", equalTo(0))
                .body("followers_count", equalTo(0))
                .body("emojis", empty()).body("fields", empty()).body("roles", empty())
                .body("source.privacy", equalTo("public"))
                .body("source.fields", empty())
                .body("role.id", equalTo("-99"));
        given().get("/avatars/original/missing.png").then().statusCode(200).contentType("image/png");
        // Flock's own session tokens work on the Mastodon API too.
        a.as().get("/api/v1/accounts/verify_credentials").then().statusCode(200).body("id", equalTo(a.id()));
    }

    @Test
    void errorsAreWordedAsMastodonWordsThem() {
        given().get("/api/v1/accounts/verify_credentials").then().statusCode(401).contentType("application/json")
                .body("error", equalTo("The access token is invalid"));
        api().header("Authorization", "Bearer garbage").get("/api/v1/timelines/home").then().statusCode(401)
                .body("error", equalTo("The access token is invalid"));
        given().get("/api/v1/accounts/999999999").then().statusCode(404).contentType("application/json")
                .body(equalTo("{\"error\":\"Record not found\"}"));
        given().get("/api/v1/accounts/not-an-id").then().statusCode(404).body("error", equalTo("Record not found"));
        given().get("/api/v1/statuses/123").then().statusCode(404).body("error", equalTo("Record not found"));
        given().get("/api/v1/accounts/lookup?acct=nobody_here_at_all").then().statusCode(404).body("error", equalTo("Record not found"));
        // Flock's own API keeps problem+json.
        given().get("/api/tweets/123").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/accounts/nobody_here_at_all").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void accountsAreFoundByIdAndByAcct() {
        TestAccount a = signUp("mlookup");
        given().get("/api/v1/accounts/" + a.id()).then().statusCode(200).body("username", equalTo(a.username()))
                .body("source", nullValue()).body("$", not(hasKey("source")));
        String domain = given().get("/api/v1/instance").then().extract().path("uri");
        for (String acct : List.of(a.username(), "@" + a.username(), a.username().toUpperCase(), a.username() + "@" + domain)) {
            given().queryParam("acct", acct).get("/api/v1/accounts/lookup").then().statusCode(200).body("id", equalTo(a.id()));
        }
        given().queryParam("acct", a.username() + "@elsewhere.example").get("/api/v1/accounts/lookup").then().statusCode(404);
        given().queryParam("q", "@" + a.username()).get("/api/v2/search").then().statusCode(200)
                .body("accounts[0].id", equalTo(a.id())).body("statuses", empty()).body("hashtags", empty());
    }

    @Test
    void postedStatusHasEveryFieldClientsRead() {
        TestAccount a = signUp("mpost");
        String token = MastodonTestApi.token(a);
        Response posted = as(token).body(Map.of("status", "a <b> & 'c'\nnext line\n\nsecond paragraph", "visibility", "public"))
                .post("/api/v1/statuses");
        posted.then().statusCode(200).contentType("application/json")
                .body("id", matchesPattern("\\d+"))
                .body("created_at", matchesPattern(TIME))
                .body("content", equalTo("<p>a &lt;b&gt; &amp; &#39;c&#39;<br />next line</p><p>second paragraph</p>"))
                .body("visibility", equalTo("public"))
                .body("sensitive", equalTo(false))
                .body("spoiler_text", equalTo(""))
                .body("media_attachments", empty()).body("mentions", empty()).body("tags", empty()).body("emojis", empty())
                .body("reblog", nullValue()).body("poll", nullValue()).body("card", nullValue())
                .body("in_reply_to_id", nullValue())
                .body("replies_count", equalTo(0)).body("favourited", equalTo(false))
                .body("account.id", equalTo(a.id())).body("account.username", equalTo(a.username()))
                .body("url", matchesPattern("http://localhost:\\d+/@" + a.username() + "/\\d+"))
                .body("$", not(hasKey("text")));
        String id = posted.path("id");
        stored(id);
        given().get("/api/v1/statuses/" + id).then().statusCode(200).body("id", equalTo(id)).body("account.statuses_count", equalTo(1));
        given().get("/api/v1/statuses/" + id + "/context").then().statusCode(200).body("ancestors", empty()).body("descendants", empty());
        // The same text through Flock's own API.
        given().get("/api/tweets/" + id).then().statusCode(200).body("text", equalTo("a <b> & 'c'\nnext line\n\nsecond paragraph"));
    }

    @Test
    void statusesAcceptFormAndMultipartBodies() {
        TestAccount a = signUp("mform");
        String token = MastodonTestApi.token(a);
        given().header("Authorization", "Bearer " + token).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("status", "from a form")).post("/api/v1/statuses").then().statusCode(200)
                .body("content", equalTo("<p>from a form</p>"));
        given().header("Authorization", "Bearer " + token).multiPart("status", "from multipart")
                .post("/api/v1/statuses").then().statusCode(200).body("content", equalTo("<p>from multipart</p>"));
    }

    @Test
    void invalidStatusesAre422() {
        TestAccount a = signUp("minvalid");
        String token = MastodonTestApi.token(a);
        as(token).body(Map.of("status", "  ")).post("/api/v1/statuses").then().statusCode(422).contentType("application/json")
                .body("error", equalTo("Validation failed: Text can't be blank"));
        as(token).body(Map.of("status", "x".repeat(281))).post("/api/v1/statuses").then().statusCode(422)
                .body("error", equalTo("Validation failed: Text character limit of 280 exceeded"));
        as(token).body(Map.of("status", "secret", "visibility", "private")).post("/api/v1/statuses").then().statusCode(422);
        as(token).body(Map.of("status", "pic", "media_ids", List.of("1"))).post("/api/v1/statuses").then().statusCode(422);
        as(token).body(Map.of("status", "cw", "spoiler_text", "careful")).post("/api/v1/statuses").then().statusCode(422);
        as(token).body(Map.of("status", "bell\u0007")).post("/api/v1/statuses").then().statusCode(422)
                .body("error", startsWith("Validation failed: Text "));
        given().contentType("application/json").body(Map.of("status", "anonymous")).post("/api/v1/statuses").then().statusCode(401)
                .body("error", equalTo("The access token is invalid"));
    }

    @Test
    void idempotencyKeyAnswersTheFirstStatusAgain() {
        TestAccount a = signUp("midem");
        String token = MastodonTestApi.token(a);
        String first = as(token).header("Idempotency-Key", "retry-1").body(Map.of("status", "once")).post("/api/v1/statuses")
                .then().statusCode(200).extract().path("id");
        String again = as(token).header("Idempotency-Key", "retry-1").body(Map.of("status", "once")).post("/api/v1/statuses")
                .then().statusCode(200).extract().path("id");
        assertThat(again).isEqualTo(first);
    }

    @Test
    void deleteAnswersTheStatusWithItsSourceText() {
        TestAccount a = signUp("mdelete");
        TestAccount other = signUp("mdeleteother");
        String token = MastodonTestApi.token(a);
        String id = postStatus(token, "redraft me");
        as(MastodonTestApi.token(other)).delete("/api/v1/statuses/" + id).then().statusCode(403)
                .body("error", equalTo("This action is not allowed"));
        as(token).delete("/api/v1/statuses/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("text", equalTo("redraft me")).body("content", equalTo("<p>redraft me</p>"))
                .body("account.id", equalTo(a.id()));
        given().get("/api/v1/statuses/" + id).then().statusCode(404);
        as(token).delete("/api/v1/statuses/" + id).then().statusCode(404).body("error", equalTo("Record not found"));
    }

    @Test
    void homeTimelinePagesThroughLinkHeaders() {
        TestAccount a = signUp("mhome");
        String token = MastodonTestApi.token(a);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(postStatus(token, "home " + i));
        }
        ids.forEach(MastodonApiTest::stored);
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);

        List<String> seen = new ArrayList<>();
        String next = "/api/v1/timelines/home?limit=2";
        String firstPrev = null;
        while (next != null) {
            Response page = as(token).get(next);
            page.then().statusCode(200);
            seen.addAll(page.path("id"));
            Map<String, String> links = links(page.header("Link"));
            if (firstPrev == null) {
                firstPrev = links.get("prev");
            }
            next = links.get("next");
        }
        assertThat(seen).isEqualTo(newestFirst);
        assertThat(firstPrev).contains("min_id=" + newestFirst.get(0)).contains("limit=2");

        // min_id: the page right after, newest first; since_id: the newest page above.
        List<String> afterOldest = as(token).get("/api/v1/timelines/home?limit=2&min_id=" + ids.get(0)).then().statusCode(200).extract().path("id");
        assertThat(afterOldest).containsExactly(ids.get(2), ids.get(1));
        List<String> sinceOldest = as(token).get("/api/v1/timelines/home?limit=2&since_id=" + ids.get(0)).then().statusCode(200).extract().path("id");
        assertThat(sinceOldest).containsExactly(ids.get(4), ids.get(3));
        List<String> beforeNewest = as(token).get("/api/v1/timelines/home?max_id=" + ids.get(4)).then().statusCode(200).extract().path("id");
        assertThat(beforeNewest).containsExactly(ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        // limit above 40 is clamped, not refused; an id that is not one is a 400.
        as(token).get("/api/v1/timelines/home?limit=1000").then().statusCode(200);
        as(token).get("/api/v1/timelines/home?max_id=abc").then().statusCode(400).body("error", containsString("max_id"));
    }

    @Test
    void followingThroughMastodonShowsInRelationshipsAndLists() {
        TestAccount a = signUp("mfollow");
        TestAccount b = signUp("mfollowee");
        String token = MastodonTestApi.token(a);
        as(token).post("/api/v1/accounts/" + b.id() + "/follow").then().statusCode(200).contentType("application/json")
                .body("id", equalTo(b.id())).body("following", equalTo(true)).body("followed_by", equalTo(false))
                .body("showing_reblogs", equalTo(true)).body("blocking", equalTo(false)).body("muting", equalTo(false))
                .body("requested", equalTo(false)).body("note", equalTo(""));
        TestApi.follow(b, a);
        List<Map<String, Object>> relations = as(token)
                .get("/api/v1/accounts/relationships?id[]=" + b.id() + "&id[]=999999999&id[]=" + a.id())
                .then().statusCode(200).extract().path("$");
        assertThat(relations).hasSize(2);
        assertThat(relations.get(0)).containsEntry("id", b.id()).containsEntry("following", true).containsEntry("followed_by", true);
        assertThat(relations.get(1)).containsEntry("id", a.id()).containsEntry("following", false);
        given().get("/api/v1/accounts/" + b.id() + "/followers").then().statusCode(200).body("id", equalTo(List.of(a.id())));
        given().get("/api/v1/accounts/" + a.id() + "/following").then().statusCode(200).body("username", equalTo(List.of(b.username())));
        // The same follow, seen through Flock's own API.
        given().get("/api/accounts/" + b.username() + "/followers").then().statusCode(200).body("items[0].id", equalTo(a.id()));
        as(token).post("/api/v1/accounts/" + b.id() + "/unfollow").then().statusCode(200).body("following", equalTo(false))
                .body("followed_by", equalTo(true));
        as(token).post("/api/v1/accounts/" + a.id() + "/follow").then().statusCode(403).body("error", equalTo("This action is not allowed"));
        as(token).post("/api/v1/accounts/999999999/follow").then().statusCode(404).body("error", equalTo("Record not found"));
    }

    @Test
    void followerListsPageThroughLinkHeaders() {
        TestAccount star = signUp("mstar");
        List<String> followers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestAccount f = signUp("mfan");
            TestApi.follow(f, star);
            followers.add(0, f.id());
        }
        List<String> seen = new ArrayList<>();
        String next = "/api/v1/accounts/" + star.id() + "/followers?limit=2";
        while (next != null) {
            Response page = given().get(next);
            page.then().statusCode(200);
            seen.addAll(page.path("id"));
            next = links(page.header("Link")).get("next");
        }
        assertThat(seen).isEqualTo(followers);
    }

    @Test
    void accountStatusesPageAndTheirSpecialListsAreEmpty() {
        TestAccount a = signUp("mauthor");
        String token = MastodonTestApi.token(a);
        String first = postStatus(token, "one");
        String second = postStatus(token, "two");
        stored(first);
        stored(second);
        Response page = given().get("/api/v1/accounts/" + a.id() + "/statuses?limit=1");
        page.then().statusCode(200).body("id", equalTo(List.of(second)));
        given().get(links(page.header("Link")).get("next")).then().statusCode(200).body("id", equalTo(List.of(first)));
        given().get("/api/v1/accounts/" + a.id() + "/statuses?pinned=true").then().statusCode(200).body("$", empty());
        given().get("/api/v1/accounts/" + a.id() + "/statuses?only_media=1").then().statusCode(200).body("$", empty());
    }

    @Test
    void aStatusPostedThroughMastodonIsInFlocksOwnHomeTimelineAndBack() {
        TestAccount reader = signUp("mcross");
        TestAccount author = signUp("mcrossauthor");
        TestApi.follow(reader, author);
        String viaMastodon = postStatus(MastodonTestApi.token(author), "through Mastodon");
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.as().get("/api/timeline/home")
                .then().extract().<List<String>>path("items.id").contains(viaMastodon));
        String viaFlock = TestApi.post(author, "through Flock");
        String readerToken = MastodonTestApi.token(reader);
        await().atMost(Duration.ofSeconds(10)).until(() -> as(readerToken).get("/api/v1/timelines/home")
                .then().extract().<List<String>>path("id").contains(viaFlock));
        as(readerToken).get("/api/v1/timelines/home").then().body("find { it.id == '" + viaFlock + "' }.content",
                equalTo("<p>through Flock</p>"));
    }

    @Test
    void startUpEndpointsAnswerEmpty() {
        TestAccount a = signUp("mstart");
        String token = MastodonTestApi.token(a);
        for (String path : List.of("/api/v1/notifications", "/api/v1/filters", "/api/v2/filters", "/api/v1/lists",
                "/api/v1/announcements", "/api/v1/follow_requests", "/api/v1/blocks", "/api/v1/mutes", "/api/v1/favourites",
                "/api/v1/bookmarks", "/api/v1/conversations", "/api/v1/scheduled_statuses", "/api/v1/followed_tags",
                "/api/v1/suggestions", "/api/v1/domain_blocks")) {
            as(token).get(path).then().statusCode(200).body("$", empty());
            given().get(path).then().statusCode(401).body("error", equalTo("The access token is invalid"));
        }
        for (String path : List.of("/api/v1/custom_emojis", "/api/v1/timelines/public", "/api/v1/trends/tags", "/api/v1/instance/peers")) {
            given().get(path).then().statusCode(200).body("$", empty());
        }
        as(token).get("/api/v1/markers").then().statusCode(200).body("$", anEmptyMap());
        as(token).get("/api/v1/preferences").then().statusCode(200).body("'posting:default:visibility'", equalTo("public"));
        as(token).get("/api/v2/notifications").then().statusCode(200).body("notification_groups", empty());
        as(token).get("/api/v1/push/subscription").then().statusCode(403)
                .body("error", equalTo("This action is outside the authorized scopes"));
        a.as().get("/api/v1/push/subscription").then().statusCode(404).body("error", equalTo("Record not found"));
    }

    @Test
    void corsAllowsAnyOriginAsMastodonDoes() {
        given().header("Origin", "https://web.client.example").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/api/v1/timelines/home").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", containsString("DELETE"))
                .header("Access-Control-Allow-Headers", "authorization");
        given().header("Origin", "https://web.client.example").get("/api/v1/instance").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Expose-Headers", containsString("Link"));
        given().header("Origin", "https://web.client.example").header("Access-Control-Request-Method", "POST")
                .options("/oauth/token").then().statusCode(200).header("Access-Control-Allow-Origin", "*");
        given().header("Origin", "https://web.client.example").get("/api/accounts/nobody_here_at_all").then()
                .header("Access-Control-Allow-Origin", "*");
    }

    @Test
    void theOpenApiDocumentDescribesOnlyFlocksOwnApi() {
        String openapi = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(openapi).contains("/api/tweets").doesNotContain("/api/v1/").doesNotContain("/oauth/");
    }

    /** rel to URL, from a Link header (null when absent). */
    static Map<String, String> links(String header) {
        Map<String, String> links = new java.util.HashMap<>();
        if (header == null) {
            return links;
        }
        Matcher m = Pattern.compile("<([^>]+)>;\\s*rel=\"([^\"]+)\"").matcher(header);
        while (m.find()) {
            links.put(m.group(2), m.group(1));
        }
        return links;
    }
}
