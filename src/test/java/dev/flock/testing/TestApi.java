package dev.flock.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/**
 * Shared test steps over real HTTP. Each call comes from its own client address, so per-address limits stay out of the
 * way, and every answer is checked against the served OpenAPI document ({@link OpenApiContract}).
 */
public final class TestApi {

    private static final AtomicInteger SEQ = new AtomicInteger();

    private TestApi() {
    }

    public record TestAccount(String id, String username, String password, String token) {
        public RequestSpecification as() {
            return api().header("Authorization", "Bearer " + token);
        }
    }

    /** A gauge or counter of this instance, from /q/metrics (the first series of that name). */
    public static long metric(String name) {
        String text = api().accept("text/plain").get("/q/metrics").asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.E+]+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError(name + " is not exposed");
        }
        return (long) Double.parseDouble(m.group(2));
    }

    public static RequestSpecification api() {
        return fromAddress(randomAddress());
    }

    public static RequestSpecification fromAddress(String address) {
        return given().filter(OpenApiContract.INSTANCE)
                .header("X-Forwarded-For", address).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.51." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    /** A username no other test uses: a prefix (at most 16 chars) plus a run-unique suffix. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + SEQ.incrementAndGet();
    }

    public static TestAccount signUp(String prefix) {
        String username = uniqueName(prefix);
        String password = "pw-" + username + "-secret";
        String id = api().body(Map.of("username", username, "password", password))
                .post("/api/accounts").then().statusCode(201).extract().path("id");
        return new TestAccount(id, username, password, logIn(username, password));
    }

    public static String logIn(String username, String password) {
        Response response = api().body(Map.of("username", username, "password", password)).post("/api/sessions");
        response.then().statusCode(200);
        return response.path("token");
    }

    /** Posts a tweet and answers its id. */
    public static String post(TestAccount author, String text) {
        return author.as().body(Map.of("text", text)).post("/api/tweets").then().statusCode(201).extract().path("id");
    }

    public static void follow(TestAccount follower, TestAccount followee) {
        follower.as().put("/api/accounts/" + followee.username() + "/follow").then().statusCode(204);
    }
}
