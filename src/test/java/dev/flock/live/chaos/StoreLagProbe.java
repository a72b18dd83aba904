package dev.flock.live.chaos;

import dev.flock.embedded.EmbeddedServices;
import dev.flock.platform.TimelineLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Watches how far the store consumer trails the log during a chaos run: twice a second it compares each partition's
 * stored position (log_positions) with the log's end offsets sampled earlier, so the age of the oldest record not yet
 * stored is known per partition. The longest such age is reported with the run; past {@code alarm} the forensics are
 * printed at once, while the stall is still there to be seen (the group's members and assignment, busy sessions).
 */
final class StoreLagProbe implements AutoCloseable {

    private record Sample(long at, long end) {
    }

    private final int partitions;
    private final long alarmNanos;
    private final List<Path> logs;
    private final Map<Integer, Deque<Sample>> samples = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long worstNanos;
    private volatile int worstPartition = -1;
    private volatile boolean alarmed;

    StoreLagProbe(int partitions, java.time.Duration alarm, List<Path> logs) {
        this.partitions = partitions;
        this.alarmNanos = alarm.toNanos();
        this.logs = logs;
        this.thread = new Thread(this::watch, "store-lag-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** The longest a record waited to be stored, as seen by the samples (half a second resolution). */
    String summary() {
        return String.format("store lag max %.1f s (partition %d)", worstNanos / 1e9, worstPartition);
    }

    private void watch() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty(EmbeddedServices.KAFKA_SERVERS));
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(TimelineLog.TOPIC, p), p -> OffsetSpec.latest()));
        try (Admin admin = Admin.create(config);
             Connection db = DriverManager.getConnection("jdbc:" + System.getProperty(EmbeddedServices.DB_URL), "postgres", "");
             Statement sql = db.createStatement()) {
            while (running) {
                long now = System.nanoTime();
                Map<Integer, Long> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
                Map<Integer, Long> stored = new HashMap<>();
                try (ResultSet rows = sql.executeQuery("SELECT log_partition, next_offset FROM log_positions "
                        + "WHERE log_epoch = (SELECT max(log_epoch) FROM log_positions)")) {
                    while (rows.next()) {
                        stored.put(rows.getInt(1), rows.getLong(2));
                    }
                }
                for (int p = 0; p < partitions; p++) {
                    Deque<Sample> mine = samples.computeIfAbsent(p, (Function<Integer, Deque<Sample>>) x -> new ArrayDeque<>());
                    mine.addLast(new Sample(now, ends.getOrDefault(p, 0L)));
                    long position = stored.getOrDefault(p, 0L);
                    while (!mine.isEmpty() && mine.peekFirst().end() <= position) {
                        mine.removeFirst();
                    }
                    long lag = mine.isEmpty() ? 0 : now - mine.peekFirst().at();
                    if (lag > worstNanos) {
                        worstNanos = lag;
                        worstPartition = p;
                    }
                    if (lag > alarmNanos && !alarmed) {
                        alarmed = true;
                        System.out.printf("Chaos: partition %d has records unstored for %.1f s (stored up to %d, end %d)%s%n",
                                p, lag / 1e9, position, ends.get(p), ChaosForensics.gather(null, logs) + ChaosForensics.threadDumps());
                    }
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.out.println("Chaos: store lag probe stopped: " + e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
