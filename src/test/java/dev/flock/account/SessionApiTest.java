package dev.flock.account;

import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.fromAddress;
import static dev.flock.testing.TestApi.randomAddress;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class SessionApiTest {

    @Test
    void loginAnswersTokenExpiryAndAccount() {
        TestAccount a = signUp("login");
        Response r = api().body(Map.of("username", a.username().toUpperCase(), "password", a.password())).post("/api/sessions");
        r.then().statusCode(200)
                .body("token", notNullValue())
                .body("account.username", equalTo(a.username()))
                .body("expiresAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        Instant expires = Instant.parse(r.path("expiresAt"));
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofHours(23), Duration.ofHours(24));
        api().header("Authorization", "Bearer " + r.path("token")).get("/api/accounts/me").then()
                .statusCode(200).body("id", equalTo(a.id()));
    }

    @Test
    void wrongPasswordAndUnknownUserAreIndistinguishable() {
        TestAccount a = signUp("wrong");
        Response wrongPassword = api().body(Map.of("username", a.username(), "password", "not the password")).post("/api/sessions");
        Response unknownUser = api().body(Map.of("username", a.username() + "x", "password", "not the password")).post("/api/sessions");
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownUser.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.contentType()).startsWith("application/problem+json");
        assertThat(wrongPassword.body().asString()).isEqualTo(unknownUser.body().asString());
    }

    @Test
    void incompleteCredentialsAre400() {
        api().body(Map.of("username", "someone")).post("/api/sessions").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("password"));
    }

    @Test
    void failedSignInsFromOneAddressBackOffWithoutLockingOutTheOwnerElsewhere() {
        TestAccount a = signUp("brute");
        String guesser = randomAddress();
        for (int i = 0; i < 4; i++) {
            fromAddress(guesser).body(Map.of("username", a.username(), "password", "guess " + i)).post("/api/sessions").then().statusCode(401);
        }
        // A success clears the pair's failures: five more in a row cost nothing again.
        fromAddress(guesser).body(Map.of("username", a.username(), "password", a.password())).post("/api/sessions").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            fromAddress(guesser).body(Map.of("username", a.username(), "password", "again " + i)).post("/api/sessions").then().statusCode(401);
        }
        // Then the pair (username, address) waits (5 s in the test profile, 1 s by default), doubling with each failure.
        // Refused before the password is looked at: even the right one, so a refusal tells a guesser nothing.
        fromAddress(guesser).body(Map.of("username", a.username().toUpperCase(), "password", a.password())).post("/api/sessions").then()
                .statusCode(429).contentType("application/problem+json").header("Retry-After", matchesPattern("[1-5]"))
                .body("detail", equalTo("Too many failed sign-ins for this account from this address; try again later"));
        // The owner, from an address of its own, is not held back.
        api().body(Map.of("username", a.username(), "password", a.password())).post("/api/sessions").then().statusCode(200);
    }

    @Test
    void pastTheUsernamesCeilingOnlyAddressesWithoutRecentFailuresGetAnAttempt() {
        TestAccount a = signUp("ceiling");
        List<String> guessers = new ArrayList<>();
        // The ceiling is 10 failures per username per 5 minutes, from all addresses together.
        for (int i = 0; i < 10; i++) {
            String address = randomAddress();
            guessers.add(address);
            fromAddress(address).body(Map.of("username", a.username(), "password", "guess " + i)).post("/api/sessions").then().statusCode(401);
        }
        // An address that failed before now waits for the ceiling to refill (one failure per 30 s).
        fromAddress(guessers.get(0)).body(Map.of("username", a.username(), "password", "guess again")).post("/api/sessions").then()
                .statusCode(429).header("Retry-After", matchesPattern("\\d+"))
                .body("detail", equalTo("Too many failed sign-ins for this account; try again later"));
        // A fresh address still gets its one attempt, right or wrong: the owner signs in.
        fromAddress(randomAddress()).body(Map.of("username", a.username(), "password", "fresh guess")).post("/api/sessions").then().statusCode(401);
        api().body(Map.of("username", a.username(), "password", a.password())).post("/api/sessions").then().statusCode(200);
    }

    @Test
    void loginAttemptsAreLimitedPerClientAddress() {
        String address = randomAddress();
        long began = System.nanoTime();
        int answered401 = 0;
        io.restassured.response.Response answer = null;
        // 60 per 5 minutes: one more every 5 s, so a slow loop (a loaded machine) may earn a few more than 60.
        for (int i = 0; i < 100; i++) {
            answer = fromAddress(address).body(Map.of("username", "spray" + i, "password", "guess")).post("/api/sessions");
            if (answer.statusCode() != 401) {
                break;
            }
            answered401++;
        }
        long earned = (System.nanoTime() - began) / 5_000_000_000L;
        answer.then().statusCode(429).header("Retry-After", notNullValue());
        assertThat(answered401).isBetween(60, 60 + (int) earned + 1);
    }

    @Test
    void expiredTokenIs401() {
        TestAccount a = signUp("expired");
        String expired = Jwt.issuer("flock").subject(a.id())
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign();
        unauthorized(expired);
    }

    @Test
    void tokenSignedWithAnotherKeyIs401() throws Exception {
        TestAccount a = signUp("forged");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.issuer("flock").subject(a.id()).expiresIn(3600).sign(generator.generateKeyPair().getPrivate());
        unauthorized(forged);
    }

    @Test
    void unsignedAlgNoneTokenIs401() {
        TestAccount a = signUp("algnone");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        String payload = b64.encodeToString(("{\"iss\":\"flock\",\"sub\":\"" + a.id() + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        unauthorized(header + "." + payload + ".");
    }

    @Test
    void garbageTokenIs401() {
        unauthorized("not-a-jwt");
    }

    private static void unauthorized(String token) {
        api().header("Authorization", "Bearer " + token).get("/api/accounts/me").then()
                .statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
    }
}
