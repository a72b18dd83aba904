package dev.flock.account;

import dev.flock.testing.TestApi;
import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyString;

@QuarkusTest
class SessionRevocationTest {

    @Inject
    RevocationRecorder revocations;

    @Inject
    Pool pool;

    @Inject
    io.smallrye.jwt.auth.principal.JWTParser parser;

    @Test
    void signingOutRefusesThatTokenOnly() throws Exception {
        TestAccount a = signUp("signout");
        String other = TestApi.logIn(a.username(), a.password());
        a.as().delete("/api/sessions/current").then().statusCode(204).body(emptyString());
        a.as().get("/api/accounts/me").then().statusCode(401).contentType("application/problem+json");
        a.as().delete("/api/sessions/current").then().statusCode(401);
        api().header("Authorization", "Bearer " + other).get("/api/accounts/me").then().statusCode(200);
        String session = TokenIssuer.sessionOf(parser.parse(a.token()));
        await().atMost(Duration.ofSeconds(5)).until(() -> revocations.heardOf(session, Long.parseLong(a.id())));
    }

    @Test
    void signingOutEverywhereRefusesEveryTokenOfTheAccount() {
        TestAccount a = signUp("everywhere");
        TestAccount bystander = signUp("bystander");
        String second = TestApi.logIn(a.username(), a.password());
        api().header("Authorization", "Bearer " + second).delete("/api/sessions").then().statusCode(204);
        a.as().get("/api/accounts/me").then().statusCode(401);
        api().header("Authorization", "Bearer " + second).get("/api/accounts/me").then().statusCode(401);
        bystander.as().get("/api/accounts/me").then().statusCode(200);
        String fresh = TestApi.logIn(a.username(), a.password());
        api().header("Authorization", "Bearer " + fresh).get("/api/accounts/me").then().statusCode(200);
    }

    @Test
    void signedOutTokenIsRefusedAtTheStreamUpgrade() {
        TestAccount a = signUp("streamout");
        assertThat(TestStream.upgradeStatus(a.token(), "", o -> { })).isEqualTo(101);
        a.as().delete("/api/sessions/current").then().statusCode(204);
        assertThat(TestStream.upgradeStatus(a.token(), "", o -> { })).isEqualTo(401);
    }

    /** Another instance revokes by writing PostgreSQL; this one learns it by polling, within the promised 5 s. */
    @Test
    void revocationMadeElsewhereHoldsHereWithinFiveSeconds() throws Exception {
        TestAccount a = signUp("elsewhere");
        a.as().get("/api/accounts/me").then().statusCode(200);
        String session = TokenIssuer.sessionOf(parser.parse(a.token()));
        pool.preparedQuery("UPDATE sessions SET revoked_at = now() WHERE id = $1").execute(Tuple.of(UUID.fromString(session)))
                .await().atMost(Duration.ofSeconds(5));
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> a.as().get("/api/accounts/me").statusCode() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> revocations.heardOf(session, null));
    }

    @Test
    void sessionEndpointsNeedAToken() {
        api().delete("/api/sessions/current").then().statusCode(401).contentType("application/problem+json");
        api().delete("/api/sessions").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void tokenWithoutASessionIsRefused() {
        TestAccount a = signUp("nosid");
        String sessionless = io.smallrye.jwt.build.Jwt.issuer("flock").subject(a.id()).upn(a.username()).groups("user")
                .expiresIn(3600).sign();
        api().header("Authorization", "Bearer " + sessionless).get("/api/accounts/me").then().statusCode(401);
    }
}
