package dev.flock.platform;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.flock.testing.TestApi.api;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The errors the framework produces on its own are problem+json too. */
@QuarkusTest
class ProblemResponsesTest {

    @Test
    void unknownApiPathIs404Problem() {
        api().get("/api/no/such/thing").then()
                .statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", notNullValue()).body("type", notNullValue());
    }

    @Test
    void wrongMethodIs405Problem() {
        api().put("/api/sessions").then()
                .statusCode(405).contentType("application/problem+json").body("status", equalTo(405));
    }
}
