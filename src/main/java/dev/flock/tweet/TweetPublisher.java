package dev.flock.tweet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.platform.OnContext;
import dev.flock.platform.TimelineLog;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * Writes tweet events to flock.tweets with its own idempotent producer (acks=all). The Uni completes only when every
 * in-sync replica has the record; when the producer gives up (kafka.delivery.timeout.ms) it fails with a 503 problem.
 *
 * <p>Sends run on worker threads: while the broker is unreachable, send() blocks for metadata (max.block.ms) and must
 * block neither an event loop nor the posts queued behind it. The id is made and the record handed to the producer
 * under a lock per author stripe, so each author's events enter the log in id order.
 */
@ApplicationScoped
public class TweetPublisher {

    private static final Logger LOG = Logger.getLogger(TweetPublisher.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Inject
    TimelineLog log;

    private final Object[] authorLocks = new Object[256];
    private KafkaProducer<String, String> producer;
    private Counter accepted;

    @PostConstruct
    void init() {
        for (int i = 0; i < authorLocks.length; i++) {
            authorLocks[i] = new Object();
        }
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "flock-tweets-producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(config);
        accepted = Counter.builder("flock.tweets.accepted").description("Tweets made durable in Kafka and answered 201").register(registry);
    }

    @PreDestroy
    void close() {
        // Lets in-flight sends finish (and their requests be answered) before the instance stops.
        producer.close(Duration.ofSeconds(10));
    }

    /** Makes the event for a fresh id from {@code ids} and publishes it. */
    public Uni<TweetEvent> publishNew(long authorId, SnowflakeIds ids, LongFunction<TweetEvent> eventForId) {
        return publish(authorId, () -> eventForId.apply(ids.next()));
    }

    /** Publishes a created event whose id was made (and reserved) beforehand. */
    public Uni<TweetEvent> publish(TweetEvent event) {
        return publish(event.authorId(), () -> event);
    }

    private Uni<TweetEvent> publish(long authorId, java.util.function.Supplier<TweetEvent> make) {
        Executor back = OnContext.current();
        Object lock = authorLocks[Math.floorMod(Long.hashCode(authorId), authorLocks.length)];
        return Uni.createFrom().<TweetEvent>emitter(emitter -> Infrastructure.getDefaultWorkerPool().execute(() -> {
                    try {
                        synchronized (lock) {
                            TweetEvent event = make.get();
                            producer.send(new ProducerRecord<>(TimelineLog.TOPIC, log.partitionOf(authorId), TimelineLog.key(authorId), json.writeValueAsString(event)), (metadata, failure) -> {
                                if (failure != null) {
                                    emitter.fail(failure);
                                } else {
                                    emitter.complete(event);
                                }
                            });
                        }
                    } catch (JsonProcessingException | RuntimeException e) {
                        emitter.fail(e);
                    }
                }))
                .emitOn(back)
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    LOG.warnf("Kafka did not take a tweet event: %s", e.toString());
                    return new ProblemException(Problem.of(503, "Service Unavailable",
                            "The tweet could not be made durable and was not accepted; try again"));
                })
                .invoke(event -> {
                    if (TweetEvent.CREATED.equals(event.type())) {
                        accepted.increment();
                    }
                });
    }
}
