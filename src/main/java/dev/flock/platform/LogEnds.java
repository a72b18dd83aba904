package dev.flock.platform;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The end of each partition of flock.tweets as the broker sees it now: every record produced (by any instance, live
 * or dead) sits below it. Asked rarely (settling an abandoned Idempotency-Key), so one admin client is made on first
 * use and kept.
 */
@ApplicationScoped
public class LogEnds {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private Admin admin;

    /** The offset the partition's next record will get. */
    public Uni<Long> next(int partition) {
        TopicPartition topicPartition = new TopicPartition(TimelineLog.TOPIC, partition);
        return Uni.createFrom().completionStage(() -> admin().listOffsets(Map.of(topicPartition, OffsetSpec.latest()))
                        .partitionResult(topicPartition).toCompletionStage())
                .map(info -> info.offset())
                .emitOn(OnContext.current());
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            // The broker's address and, in production, its security settings: the same as every client of the log.
            kafkaConfig.forEach((name, value) -> {
                if (name.equals("bootstrap.servers") || name.startsWith("security.") || name.startsWith("sasl.") || name.startsWith("ssl.")) {
                    config.put(name, value);
                }
            });
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "flock-log-ends");
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
