package dev.flock.live;

import dev.flock.platform.TimelineLog;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides where this instance's live consumer reads each partition from. A partition read before (the consumer
 * rejoined after a broker restart) continues exactly where the fan-out stopped: nothing twice, nothing skipped. A new
 * instance starts at the store consumer's position, so its ring covers what PostgreSQL does not hold yet and replays
 * can be served at once, but never further back than the ring can hold (a store that lags more than that is waited
 * for instead).
 */
@ApplicationScoped
@Identifier("flock-live-seek")
public class LiveLogSeek implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(LiveLogSeek.class);

    @Inject
    LiveLog live;

    @Inject
    Pool pool;

    @Inject
    TimelineLog log;

    @Inject
    LiveConfig config;

    @Inject
    RecentDeletes deletes;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<Integer, Long> stored = null;
        long perPartition = Math.max(1, config.recentRecords() / log.partitions());
        for (TopicPartition tp : partitions) {
            Long known = live.position(tp.partition());
            long start;
            if (known != null) {
                start = known;
            } else {
                if (stored == null) {
                    stored = storedPositions();
                    // After the positions: a delete applied by then lies below where reading starts.
                    deletes.seed();
                }
                long end = ends.getOrDefault(tp, 0L);
                start = Math.max(Math.max(0, end - perPartition), stored.getOrDefault(tp.partition(), 0L));
                start = Math.min(start, end);
                live.positioned(tp.partition(), start, end);
            }
            consumer.seek(tp, start);
        }
        LOG.debugf("Live consumer positioned on %s", partitions);
    }

    /** The store consumer's positions; if PostgreSQL cannot say, start where the ring's reach allows. */
    private Map<Integer, Long> storedPositions() {
        Map<Integer, Long> positions = new HashMap<>();
        try {
            for (Row row : pool.preparedQuery("SELECT log_partition, next_offset FROM log_positions WHERE log_epoch = $1")
                    .execute(Tuple.of(log.epoch())).await().atMost(Duration.ofSeconds(10))) {
                positions.put(row.getInteger(0), row.getLong(1));
            }
        } catch (RuntimeException e) {
            LOG.warnf("Stored positions unavailable (%s); the live consumer starts at the ring's reach", e.getMessage());
        }
        return positions;
    }
}
