package dev.flock.platform;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.function.LongFunction;

/**
 * Writes an event to the outbox table inside the caller's transaction: it reaches Kafka if and only if the
 * transaction commits, and no transaction waits on the broker. The sequence number orders the events of one subject
 * (e.g. the follows of one pair of accounts), so consumers can drop a relayed duplicate or a late older event.
 */
@ApplicationScoped
public class Outbox {

    /** An event to publish: topic, partition, key and value, with its outbox sequence number. */
    public record Event(long seq, String topic, int partition, String key, String value) {
    }

    public Uni<Event> add(Mutiny.Session session, String topic, int partition, String key, LongFunction<String> valueForSeq) {
        return session.createNativeQuery("SELECT nextval('outbox_seq')", Long.class).getSingleResult()
                .chain(seq -> {
                    Event event = new Event(seq, topic, partition, key, valueForSeq.apply(seq));
                    return session.createNativeQuery("INSERT INTO outbox (seq, topic, partition, record_key, value) VALUES (?1, ?2, ?3, ?4, ?5)")
                            .setParameter(1, event.seq()).setParameter(2, topic).setParameter(3, partition)
                            .setParameter(4, key).setParameter(5, event.value())
                            .executeUpdate().replaceWith(event);
                });
    }
}
