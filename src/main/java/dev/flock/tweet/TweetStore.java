package dev.flock.tweet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.flock.follow.FollowEvent;
import dev.flock.follow.FollowSpans;
import dev.flock.platform.TimelineLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store consumer (group flock-store): writes the flock.tweets log into PostgreSQL (tweets, deletes, follow spans),
 * each poll's records of a partition in one transaction together with the partition's stored position, so
 * redelivery (normal) applies nothing twice. The offset is committed only after the row is written; while PostgreSQL is unreachable the record is
 * retried with back-off and nothing behind it moves. A record that can never be stored goes to flock.tweets.dlq with
 * the reason.
 */
@ApplicationScoped
public class TweetStore {

    private static final Logger LOG = Logger.getLogger(TweetStore.class);

    @Inject
    ObjectMapper json;

    @Inject
    TimelineLog log;

    @Inject
    FollowSpans spans;

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

    /**
     * Set as the instance starts to stop, while PostgreSQL is still open: records from then on are left to the next
     * consumer of their partition (their offsets stay uncommitted; applying is idempotent), so no write is cut off by
     * the pool closing under it and the stop does not wait for retries.
     */
    private volatile boolean stopping;

    void stopping(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
    }

    private boolean retriable(Throwable failure) {
        return isTransient(failure) && !stopping;
    }

    /**
     * One poll's records, partition by partition, each partition's share in one transaction that moves its stored
     * position once: under a backlog (after a rebalance, a stall, a database outage) the store catches up in a few
     * transactions instead of one per record. The chaos test saw the record-at-a-time store fall 20 s and more behind
     * the log on these two cores once one instance carried every partition.
     */
    @Incoming("tweets-store")
    public Uni<Void> store(ConsumerRecords<String, String> batch) {
        if (stopping) {
            return Uni.createFrom().nothing();
        }
        return Multi.createFrom().iterable(batch.partitions())
                .onItem().transformToUniAndConcatenate(partition -> storePartition(partition.partition(), batch.records(partition)))
                .collect().last().replaceWithVoid();
    }

    private record Parsed(ConsumerRecord<String, String> record, Object event) {
    }

    private Uni<Void> storePartition(int partition, List<ConsumerRecord<String, String>> records) {
        List<Parsed> parsed = new ArrayList<>(records.size());
        Map<ConsumerRecord<String, String>, String> unreadable = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                parsed.add(new Parsed(record, LogEvents.parse(json, record.value())));
            } catch (Exception e) {
                unreadable.put(record, "unreadable: " + e.getMessage());
                parsed.add(new Parsed(record, null));
            }
        }
        // Unreadable records are in the dead-letter topic before the position moves past them.
        return Multi.createFrom().iterable(unreadable.entrySet())
                .onItem().transformToUniAndConcatenate(bad -> deadLetter(bad.getKey(), bad.getValue()))
                .collect().last()
                .chain(() -> applyAll(partition, parsed))
                .onFailure(this::retriable).invoke(e -> LOG.warnf("Storing %d records of %s-%d from %d failed, will retry: %s",
                        parsed.size(), TimelineLog.TOPIC, partition, records.get(0).offset(), e.getMessage()))
                .onFailure(this::retriable).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                // Stopping: the records are left unacknowledged (offsets uncommitted) for whichever consumer comes next.
                .onFailure(e -> stopping).recoverWithUni(e -> Uni.createFrom().nothing())
                // A record that can never be stored: one at a time, to set it aside and store the rest.
                .onFailure().recoverWithUni(e -> Multi.createFrom().iterable(parsed)
                        .onItem().transformToUniAndConcatenate(this::storeOne)
                        .collect().last().replaceWithVoid());
    }

    /** The partition's records in one transaction: those at or past the stored position are applied, in log order. */
    private Uni<Void> applyAll(int partition, List<Parsed> parsed) {
        long last = parsed.get(parsed.size() - 1).record().offset();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> position(session, partition)
                .chain(next -> {
                    List<Parsed> fresh = parsed.stream().filter(p -> p.record().offset() >= next && p.event() != null).toList();
                    if (last < next) {
                        return Uni.createFrom().voidItem();
                    }
                    return Multi.createFrom().iterable(fresh)
                            .onItem().transformToUniAndConcatenate(p -> apply(session, p.event(), p.record().offset()))
                            .collect().last()
                            .chain(() -> moveTo(session, partition, last + 1));
                })));
    }

    /** The partition's stored position, its row locked until the transaction ends (made at 0 for a new log). */
    private Uni<Long> position(Mutiny.Session session, int partition) {
        return session.createNativeQuery("""
                        INSERT INTO log_positions (log_epoch, log_partition, next_offset) VALUES (?1, ?2, 0)
                        ON CONFLICT (log_epoch, log_partition) DO UPDATE SET next_offset = log_positions.next_offset
                        RETURNING next_offset""", Object.class)
                .setParameter(1, log.epoch()).setParameter(2, partition)
                .getSingleResult().map(offset -> ((Number) offset).longValue());
    }

    private Uni<Void> moveTo(Mutiny.Session session, int partition, long next) {
        return session.createNativeQuery("UPDATE log_positions SET next_offset = ?3 WHERE log_epoch = ?1 AND log_partition = ?2")
                .setParameter(1, log.epoch()).setParameter(2, partition).setParameter(3, next)
                .executeUpdate().replaceWithVoid();
    }

    /** One record in a transaction of its own: how a batch that cannot be stored finds the record at fault. */
    private Uni<Void> storeOne(Parsed parsed) {
        ConsumerRecord<String, String> record = parsed.record();
        if (parsed.event() == null) {
            return skip(record);
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> claim(session, record)
                        .chain(fresh -> fresh ? apply(session, parsed.event(), record.offset()) : Uni.createFrom().voidItem())))
                .onFailure(this::retriable).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                .onFailure(e -> stopping).recoverWithUni(e -> Uni.createFrom().nothing())
                .onFailure().recoverWithUni(e -> deadLetter(record, e.getClass().getSimpleName() + ": " + e.getMessage())
                        .chain(() -> skip(record)));
    }

    /**
     * Moves this partition's stored position past the record, in the transaction that applies it; answers false when
     * the position is already past (a redelivered record: already applied). One PostgreSQL snapshot is therefore
     * always exactly a prefix of each partition, which is what stream cursors are built on.
     */
    private Uni<Boolean> claim(Mutiny.Session session, ConsumerRecord<String, String> record) {
        return session.createNativeQuery("""
                        INSERT INTO log_positions (log_epoch, log_partition, next_offset) VALUES (?1, ?2, ?3)
                        ON CONFLICT (log_epoch, log_partition) DO UPDATE SET next_offset = excluded.next_offset
                        WHERE log_positions.next_offset < excluded.next_offset""")
                .setParameter(1, log.epoch()).setParameter(2, record.partition()).setParameter(3, record.offset() + 1)
                .executeUpdate().map(rows -> rows > 0);
    }

    /** A record that can never be stored still moves the position, or every replay would wait for it forever. */
    private Uni<Void> skip(ConsumerRecord<String, String> record) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> claim(session, record)))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely()
                .replaceWithVoid();
    }

    private Uni<Void> apply(Mutiny.Session session, Object event, long offset) {
        if (event instanceof FollowEvent follow) {
            return spans.apply(session, follow, offset);
        }
        TweetEvent tweet = (TweetEvent) event;
        return switch (tweet.type()) {
            case TweetEvent.CREATED -> session.createNativeQuery("""
                            INSERT INTO tweets (id, author_id, text, created_at, idempotency_key, created_offset)
                            VALUES (?1, ?2, ?3, CAST(?4 AS timestamptz), CAST(?5 AS varchar), ?6)
                            ON CONFLICT (id) DO NOTHING""")
                    .setParameter(1, tweet.idValue())
                    .setParameter(2, tweet.authorId())
                    .setParameter(3, tweet.text())
                    .setParameter(4, OffsetDateTime.ofInstant(Instant.parse(tweet.createdAt()), ZoneOffset.UTC))
                    .setParameter(5, tweet.idempotencyKey())
                    .setParameter(6, offset)
                    .executeUpdate()
                    .chain(rows -> rows == 0 ? Uni.createFrom().voidItem() : session
                            .createNativeQuery("UPDATE accounts SET tweets_count = tweets_count + 1 WHERE id = ?1")
                            .setParameter(1, tweet.authorId()).executeUpdate().invoke(() -> stored.increment()).replaceWithVoid());
            // The DELETE request already marked the row in its own transaction; this records where the delete sits in
            // the log (replays send it to readers whose cursor is before it) and catches up a store that missed it.
            case TweetEvent.DELETED -> session.createNativeQuery("UPDATE tweets SET deleted_at = now(), text = '' WHERE id = ?1 AND deleted_at IS NULL")
                    .setParameter(1, tweet.idValue()).executeUpdate()
                    .chain(rows -> rows == 0 ? Uni.createFrom().voidItem() : session
                            .createNativeQuery("UPDATE accounts SET tweets_count = tweets_count - 1 WHERE id = ?1 AND tweets_count > 0")
                            .setParameter(1, tweet.authorId()).executeUpdate().replaceWithVoid())
                    .chain(() -> session.createNativeQuery("UPDATE tweets SET deleted_offset = ?2 WHERE id = ?1 AND deleted_offset IS NULL")
                            .setParameter(1, tweet.idValue()).setParameter(2, offset).executeUpdate())
                    .replaceWithVoid();
            default -> Uni.createFrom().failure(new IllegalArgumentException("unknown event type " + tweet.type()));
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
