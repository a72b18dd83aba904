package dev.flock.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves outbox events to Kafka (at least once). A request publishes its own events right after its commit and waits
 * for them a short, bounded time ({@code flock.outbox.publish-wait}), so while the broker is up a 2xx means the event
 * is in the log; when the broker is down the answer does not wait and every instance's relay publishes what is left
 * once it is back. Consumers drop duplicates by sequence number.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    OutboxConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private KafkaProducer<String, String> producer;
    private volatile boolean brokerDown;
    private final AtomicBoolean relaying = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        Map<String, Object> settings = new HashMap<>(kafkaConfig);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "flock-outbox-relay");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(settings);
        Gauge.builder("flock.outbox.pending", pending, AtomicLong::get)
                .description("Outbox events older than the relay delay, as last counted by this instance").register(registry);
        timer = vertx.setPeriodic(config.relayEvery().toMillis(), t -> relayOld());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Publishes events a request just committed, waiting at most {@code publish-wait} (not at all while the broker is
     * known to be down). Never fails: what is not published here stays in the outbox for the relay.
     */
    public Uni<Void> publishCommitted(List<Outbox.Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> all = publishInOrder(events).chain(() -> remove(events));
        if (brokerDown) {
            all.subscribe().with(x -> { }, e -> { });
            return Uni.createFrom().voidItem();
        }
        // The answer continues on the request's own context (Hibernate Reactive sessions are bound to it).
        Executor back = OnContext.current();
        return all.ifNoItem().after(config.publishWait()).recoverWithItem((Void) null)
                .onFailure().recoverWithItem((Void) null)
                .emitOn(back);
    }

    private Uni<Void> publishInOrder(List<Outbox.Event> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Outbox.Event e : events) {
            chain = chain.chain(() -> send(e));
        }
        return chain;
    }

    private Uni<Void> send(Outbox.Event event) {
        // send() blocks while it fetches metadata from an unreachable broker: never on an event loop.
        return Uni.createFrom().<Void>emitter(emitter -> Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                producer.send(new ProducerRecord<>(event.topic(), event.partition(), event.key(), event.value()), (metadata, failure) -> {
                    brokerDown = failure != null;
                    if (failure != null) {
                        emitter.fail(failure);
                    } else {
                        emitter.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                brokerDown = true;
                emitter.fail(e);
            }
        }));
    }

    private Uni<Void> remove(List<Outbox.Event> events) {
        List<Long> seqs = events.stream().map(Outbox.Event::seq).toList();
        return pool.preparedQuery("DELETE FROM outbox WHERE seq = ANY($1)").execute(Tuple.of(seqs.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** Relays, in sequence order, events that stayed in the outbox longer than {@code relay-after}. */
    void relayOld() {
        if (!relaying.compareAndSet(false, true)) {
            return;
        }
        pool.preparedQuery("SELECT seq, topic, partition, record_key, value FROM outbox "
                        + "WHERE created_at < now() - $1 * interval '1 millisecond' ORDER BY seq LIMIT 500")
                .execute(Tuple.of(config.relayAfter().toMillis()))
                .chain(rows -> {
                    List<Outbox.Event> events = new ArrayList<>(rows.rowCount());
                    for (Row r : rows) {
                        events.add(new Outbox.Event(r.getLong(0), r.getString(1), r.getInteger(2), r.getString(3), r.getString(4)));
                    }
                    pending.set(events.size());
                    if (events.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("Relaying %d outbox events", events.size());
                    return publishInOrder(events).chain(() -> remove(events));
                })
                .eventually(() -> relaying.set(false))
                .subscribe().with(x -> { }, e -> LOG.debugf("Outbox relay will retry: %s", e.getMessage()));
    }
}
