package dev.flock.tweet;

import dev.flock.testing.KafkaTopicReader;
import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class DeadLetterTest {

    @Test
    void recordsThatCanNeverBeStoredGoToTheDeadLetterTopicAndTheStoreMovesOn() throws Exception {
        String marker = UUID.randomUUID().toString();
        String unreadable = "not json " + marker;
        String unknownAuthor = "{\"type\":\"created\",\"id\":\"" + System.nanoTime() + "\",\"author\":{\"id\":\"987654321987\","
                + "\"username\":\"ghost\",\"displayName\":\"ghost\"},\"text\":\"" + marker + "\",\"createdAt\":\"2026-11-24T07:00:00.000Z\"}";
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>("flock.tweets", "1", unreadable)).get();
            producer.send(new ProducerRecord<>("flock.tweets", "987654321987", unknownAuthor)).get();
        }

        TestAccount a = signUp("afterpoison");
        String id = post(a, "stored after the poison");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/tweets/" + id).then().statusCode(200));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> dead = KafkaTopicReader.readAll("flock.tweets.dlq").stream()
                    .filter(r -> r.value().contains(marker)).toList();
            assertThat(dead).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(unreadable, unknownAuthor);
            assertThat(dead).allSatisfy(r -> assertThat(new String(r.headers().lastHeader("flock-dlq-reason").value(), StandardCharsets.UTF_8)).isNotBlank());
        });
        String metrics = api().accept("text/plain").get("/q/metrics").asString();
        assertThat(metrics).containsPattern("flock_tweets_dead_letters_total(\\{[^}]*\\})? [2-9]");
    }
}
