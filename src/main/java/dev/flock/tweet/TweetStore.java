package dev.flock.tweet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The store consumer (group flock-store): writes flock.tweets into PostgreSQL. Inserts are idempotent, because
 * redelivery is normal. The offset is committed only after the row is written; while PostgreSQL is unreachable the
 * record is retried with back-off and nothing behind it moves. A record that can never be stored goes to
 * flock.tweets.dlq with the reason.
 */
@ApplicationScoped
public class TweetStore {

    private static final Logger LOG = Logger.getLogger(TweetStore.class);

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Inject
    @Channel("tweets-dlq")
    MutinyEmitter<String> deadLetters;

    private Counter stored;
    private Counter deadLettered;

    @PostConstruct
    void init() {
        stored = Counter.builder("flock.tweets.stored").description("Tweet events written to PostgreSQL").register(registry);
        deadLettered = Counter.builder("flock.tweets.dead.letters").description("Tweet events that could never be stored").register(registry);
    }

    @Incoming("tweets-store")
    public Uni<Void> store(ConsumerRecord<String, String> record) {
        TweetEvent event;
        try {
            event = json.readValue(record.value(), TweetEvent.class);
            if (event.type() == null || event.id() == null || event.author() == null) {
                throw new IllegalArgumentException("missing type, id or author");
            }
        } catch (Exception e) {
            return deadLetter(record, "unreadable: " + e.getMessage());
        }
        return apply(event)
                .onFailure(TweetStore::isTransient).invoke(e -> LOG.warnf("Storing tweet %s failed, will retry: %s", event.id(), e.getMessage()))
                .onFailure(TweetStore::isTransient).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                .onFailure().recoverWithUni(e -> deadLetter(record, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    private Uni<Void> apply(TweetEvent event) {
        return switch (event.type()) {
            case TweetEvent.CREATED -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                    .createNativeQuery("""
                            INSERT INTO tweets (id, author_id, text, created_at, idempotency_key)
                            SELECT ?1, ?2, ?3, CAST(?4 AS timestamptz), CAST(?5 AS varchar)
                            WHERE CAST(?5 AS varchar) IS NULL OR NOT EXISTS (
                              SELECT 1 FROM tweets WHERE author_id = ?2 AND idempotency_key = CAST(?5 AS varchar)
                                AND created_at > CAST(?4 AS timestamptz) - interval '24 hours' AND id <> ?1)
                            ON CONFLICT (id) DO NOTHING""")
                    .setParameter(1, event.idValue())
                    .setParameter(2, event.authorId())
                    .setParameter(3, event.text())
                    .setParameter(4, OffsetDateTime.ofInstant(Instant.parse(event.createdAt()), ZoneOffset.UTC))
                    .setParameter(5, event.idempotencyKey())
                    .executeUpdate()
                    .chain(rows -> rows == 0 ? Uni.createFrom().voidItem() : session
                            .createNativeQuery("UPDATE accounts SET tweets_count = tweets_count + 1 WHERE id = ?1")
                            .setParameter(1, event.authorId()).executeUpdate().invoke(() -> stored.increment()).replaceWithVoid())));
            // The DELETE request already marked the row in its own transaction; this catches up a store that missed it.
            case TweetEvent.DELETED -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                    .createNativeQuery("UPDATE tweets SET deleted_at = now(), text = '' WHERE id = ?1 AND deleted_at IS NULL")
                    .setParameter(1, event.idValue()).executeUpdate()
                    .chain(rows -> rows == 0 ? Uni.createFrom().voidItem() : session
                            .createNativeQuery("UPDATE accounts SET tweets_count = tweets_count - 1 WHERE id = ?1 AND tweets_count > 0")
                            .setParameter(1, event.authorId()).executeUpdate().replaceWithVoid())));
            default -> Uni.createFrom().failure(new IllegalArgumentException("unknown event type " + event.type()));
        };
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, String reason) {
        LOG.errorf("Tweet record %s-%d@%d can never be stored (%s); sent to the dead-letter topic",
                record.topic(), record.partition(), record.offset(), reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add("flock-dlq-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("flock-dlq-origin", (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build());
        // Until the dead letter is safely in Kafka the record is not acknowledged, so it cannot be lost either way.
        return deadLetters.sendMessage(message)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .invoke(() -> deadLettered.increment());
    }

    /** Data and constraint errors (SQLSTATE classes 22 and 23) will fail forever; anything else may pass later. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof java.time.format.DateTimeParseException) {
                return false;
            }
            String state = t instanceof io.vertx.pgclient.PgException pg ? pg.getSqlState()
                    : t instanceof org.hibernate.JDBCException jdbc ? jdbc.getSQLState() : null;
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return false;
            }
        }
        return true;
    }
}
