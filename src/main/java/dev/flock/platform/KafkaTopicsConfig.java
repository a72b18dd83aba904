package dev.flock.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The Kafka topics Flock needs; created at start-up when missing (in production Strimzi usually creates them first). */
@ConfigMapping(prefix = "flock.kafka")
public interface KafkaTopicsConfig {

    /** Create missing topics at start-up. */
    @WithDefault("true")
    boolean createTopics();

    /** Replication factor of created topics: 1 fits the embedded single broker; use 3 on a real cluster. */
    @WithDefault("1")
    short replicationFactor();

    /** How long start-up waits for the broker to create the topics. */
    @WithDefault("30s")
    Duration timeout();

    /** Topic name to its settings. */
    Map<String, Topic> topics();

    interface Topic {
        @WithDefault("4")
        int partitions();

        /** Retention; absent means the broker's default. */
        Optional<Duration> retention();

        /** min.insync.replicas; absent means the broker's default. */
        Optional<Integer> minInsyncReplicas();
    }
}
