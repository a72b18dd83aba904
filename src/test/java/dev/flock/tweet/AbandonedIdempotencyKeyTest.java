package dev.flock.tweet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.platform.ApiTime;
import dev.flock.platform.TimelineLog;
import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An Idempotency-Key claimed by an instance that died after producing, before answering: the retry, wherever it
 * lands, must answer the tweet that instance put in the log, even while the store has not written it yet, and never
 * post a second one.
 */
@QuarkusTest
class AbandonedIdempotencyKeyTest {

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Inject
    TimelineLog log;

    @Inject
    WorkerLease lease;

    @Test
    void aRetryAfterTheClaimantDiedAnswersTheTweetItProducedOnceTheStoreHasIt() throws Exception {
        TestAccount author = signUp("abandoned");
        long authorId = Long.parseLong(author.id());
        String key = "abandoned-" + System.nanoTime();
        String text = "produced by an instance that then died";

        // The store is held back, so the dead attempt's tweet is in the log but not in PostgreSQL.
        SqlConnection holder = pool.getConnectionAndAwait();
        Transaction held = holder.beginAndAwait();
        CompletableFuture<Response> retry;
        long deadAttemptsId;
        try {
            holder.query("LOCK TABLE log_positions IN EXCLUSIVE MODE").executeAndAwait();
            deadAttemptsId = lease.ids().next();
            TweetView.Author who = new TweetView.Author(author.id(), author.username(), author.username());
            TweetEvent event = TweetEvent.created(new TweetView(String.valueOf(deadAttemptsId), who, text,
                    ApiTime.format(SnowflakeIds.timeOf(deadAttemptsId))), key);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>(TimelineLog.TOPIC, log.partitionOf(authorId), TimelineLog.key(authorId),
                        json.writeValueAsString(event))).get(10, TimeUnit.SECONDS);
            }
            // Its claim, older than any live attempt can be, with no answer recorded.
            pool.preparedQuery("INSERT INTO idempotency_keys (author_id, idem_key, claimed_at) VALUES ($1, $2, now() - interval '2 minutes')")
                    .executeAndAwait(Tuple.of(authorId, key));

            retry = CompletableFuture.supplyAsync(() -> author.as().header("Idempotency-Key", key).contentType("application/json")
                    .body(Map.of("text", text)).post("/api/tweets"));
            // The retry has taken the claim over (claimed it afresh) and is waiting for the store to tell.
            await().atMost(Duration.ofSeconds(10)).until(() -> pool
                    .preparedQuery("SELECT claimed_at > now() - interval '30 seconds' FROM idempotency_keys WHERE author_id = $1 AND idem_key = $2")
                    .executeAndAwait(Tuple.of(authorId, key)).iterator().next().getBoolean(0));
            assertThat(retry).isNotDone();
        } finally {
            held.commitAndAwait();
            holder.closeAndAwait();
        }

        Response answer = retry.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(201);
        assertThat(answer.jsonPath().getString("id")).isEqualTo(String.valueOf(deadAttemptsId));
        long tweetsWithTheKey = pool.preparedQuery("SELECT count(*) FROM tweets WHERE author_id = $1 AND idempotency_key = $2")
                .executeAndAwait(Tuple.of(authorId, key)).iterator().next().getLong(0);
        assertThat(tweetsWithTheKey).isEqualTo(1);
    }
}
