package dev.flock.account;

import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.fromAddress;
import static dev.flock.testing.TestApi.randomAddress;
import static dev.flock.testing.TestApi.signUp;
import static dev.flock.testing.TestApi.uniqueName;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AccountApiTest {

    private static Map<String, Object> account(String username, String password) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        return body;
    }

    private static void rejected(Map<String, Object> body, String field) {
        api().body(body).post("/api/accounts").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body("errors.field", hasItem(field));
    }

    @Test
    void createdAccountAnswers201WithLocationAndAccount() {
        String name = uniqueName("Create");
        Map<String, Object> body = account(name, "correct horse");
        body.put("displayName", "Ada Lovelace");
        body.put("bio", "first line\nsecond line");
        api().body(body).post("/api/accounts").then()
                .statusCode(201)
                .header("Location", endsWith("/api/accounts/" + name))
                .body("id", matchesPattern("\\d+"))
                .body("username", equalTo(name))
                .body("displayName", equalTo("Ada Lovelace"))
                .body("bio", equalTo("first line\nsecond line"))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"))
                .body("followersCount", equalTo(0))
                .body("followingCount", equalTo(0))
                .body("tweetsCount", equalTo(0))
                .body("password", nullValue())
                .body("passwordHash", nullValue());
    }

    @Test
    void usernameRulesAreEnforcedAtTheirBoundaries() {
        rejected(account(null, "long enough"), "username");
        rejected(account("ab", "long enough"), "username");
        rejected(account("a".repeat(31), "long enough"), "username");
        rejected(account("with-dash", "long enough"), "username");
        rejected(account("ünïcode", "long enough"), "username");
        api().body(account("u" + Long.toString(System.nanoTime(), 36).substring(0, 2), "long enough"))
                .post("/api/accounts").then().statusCode(201);
        String thirty = (uniqueName("x") + "_".repeat(30)).substring(0, 30);
        api().body(account(thirty, "long enough")).post("/api/accounts").then().statusCode(201);
    }

    @Test
    void passwordRulesAreEnforcedAtTheirBoundaries() {
        rejected(account(uniqueName("pw"), null), "password");
        rejected(account(uniqueName("pw"), "1234567"), "password");
        rejected(account(uniqueName("pw"), "x".repeat(129)), "password");
        api().body(account(uniqueName("pw"), "12345678")).post("/api/accounts").then().statusCode(201);
        api().body(account(uniqueName("pw"), "x".repeat(128))).post("/api/accounts").then().statusCode(201);
    }

    @Test
    void displayNameAndBioAreCountedInCharactersNotUtf16Units() {
        Map<String, Object> ok = account(uniqueName("dn"), "long enough");
        ok.put("displayName", "😀".repeat(50));
        ok.put("bio", "é".repeat(160));
        api().body(ok).post("/api/accounts").then().statusCode(201).body("displayName", equalTo("😀".repeat(50)));

        Map<String, Object> longName = account(uniqueName("dn"), "long enough");
        longName.put("displayName", "a".repeat(51));
        rejected(longName, "displayName");

        Map<String, Object> longBio = account(uniqueName("dn"), "long enough");
        longBio.put("bio", "b".repeat(161));
        rejected(longBio, "bio");

        Map<String, Object> control = account(uniqueName("dn"), "long enough");
        control.put("displayName", "bell\u0007");
        rejected(control, "displayName");
    }

    @Test
    void usernameIsUniqueIgnoringCase() {
        String name = uniqueName("Case");
        api().body(account(name, "long enough")).post("/api/accounts").then().statusCode(201);
        api().body(account(name.toUpperCase(), "long enough")).post("/api/accounts").then()
                .statusCode(409).contentType("application/problem+json").body("status", equalTo(409));
        api().get("/api/accounts/" + name.toLowerCase()).then().statusCode(200).body("username", equalTo(name));
    }

    @Test
    void unknownAccountIs404Problem() {
        api().get("/api/accounts/nobody_" + System.nanoTime()).then()
                .statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void badBodiesAreProblems() {
        api().body("{\"username\": \"x\", ").post("/api/accounts").then()
                .statusCode(400).contentType("application/problem+json");
        api().body("{\"username\": \"" + uniqueName("uf") + "\", \"password\": \"long enough\", \"admin\": true}")
                .post("/api/accounts").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("admin"));
        api().body("{\"username\": 42, \"password\": [1]}").post("/api/accounts").then()
                .statusCode(400).contentType("application/problem+json");
        api().body("").post("/api/accounts").then().statusCode(400).contentType("application/problem+json");
        api().contentType(ContentType.TEXT).body("username=x").post("/api/accounts").then()
                .statusCode(415).contentType("application/problem+json");
    }

    @Test
    void meAnswersTheTokensAccount() {
        TestAccount me = signUp("me");
        me.as().get("/api/accounts/me").then().statusCode(200).body("username", equalTo(me.username())).body("id", equalTo(me.id()));
        api().get("/api/accounts/me").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void accountCreationIsLimitedPerClientAddress() {
        String address = randomAddress();
        int limit = 20;
        for (int i = 0; i < limit; i++) {
            fromAddress(address).body(account(uniqueName("lim"), "long enough")).post("/api/accounts").then().statusCode(201);
        }
        fromAddress(address).body(account(uniqueName("lim"), "long enough")).post("/api/accounts").then()
                .statusCode(429).contentType("application/problem+json").header("Retry-After", matchesPattern("\\d+"));
        api().body(account(uniqueName("lim"), "long enough")).post("/api/accounts").then().statusCode(201);
    }
}
