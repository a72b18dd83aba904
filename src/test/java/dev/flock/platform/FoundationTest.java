package dev.flock.platform;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class FoundationTest {

    @Inject
    Pool pool;

    @Inject
    KafkaProbe probe;

    @Test
    void readinessIsUpWithPostgresAndKafkaChecks() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check", "Kafka connection health check"));
    }

    @Test
    void migrationsFromDbMigrationsAreApplied() {
        List<String> tables = StreamSupport.stream(pool.query(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .execute().await().atMost(Duration.ofSeconds(10)).spliterator(), false)
                .map(row -> row.getString("table_name")).toList();
        assertThat(tables).contains("accounts", "follows", "tweets", "worker_leases", "flyway_schema_history");

        Row version = pool.query("SELECT max(version::int) AS v FROM flyway_schema_history WHERE success")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(version.getInteger("v")).isGreaterThanOrEqualTo(4);
    }

    @Test
    void recordMakesRoundTripThroughRealKafkaBroker() {
        String value = "probe-" + UUID.randomUUID();
        probe.send(value).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.received().contains(value));
    }

    @Test
    void operationalEndpointsAnswer() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
