package dev.flock.platform;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * The flock.tweets log as every feature sees it: its name, its partition count and its epoch (the topic's id, which
 * changes when the topic is recreated and its offsets start again). Every event that changes what a home timeline
 * shows is keyed by the author it concerns (a follow by the followee), so one author's events share a partition and
 * keep their order. Known once the topic is provisioned at start-up, before any channel connects.
 */
@ApplicationScoped
public class TimelineLog {

    public static final String TOPIC = "flock.tweets";

    private volatile String epoch;
    private volatile int partitions;

    void described(String topicId, int partitionCount) {
        this.epoch = topicId;
        this.partitions = partitionCount;
    }

    /** The topic id, e.g. "q3lkR0ZtRLOvbGVhYw7zGg". */
    public String epoch() {
        if (epoch == null) {
            throw new IllegalStateException(TOPIC + " has not been described yet");
        }
        return epoch;
    }

    public int partitions() {
        if (partitions == 0) {
            throw new IllegalStateException(TOPIC + " has not been described yet");
        }
        return partitions;
    }

    /** The partition of an author's events: what Kafka's default partitioner picks for the key, stated explicitly. */
    public int partitionOf(long authorId) {
        return partitionOf(authorId, partitions());
    }

    public static int partitionOf(long authorId, int partitionCount) {
        byte[] key = Long.toString(authorId).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
    }

    public static String key(long authorId) {
        return Long.toString(authorId);
    }
}
