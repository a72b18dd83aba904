package dev.flock.live.chaos;

import dev.flock.embedded.EmbeddedServices;
import dev.flock.platform.TimelineLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a failed chaos run leaves behind, gathered while the services are still up: the tweet's row, the stored log
 * positions, the store consumer group (members, committed offsets, end offsets) and the instances' warnings. A run
 * that fails once in many must explain itself from its own output, since CI keeps nothing else.
 */
final class ChaosForensics {

    private ChaosForensics() {
    }

    static String gather(String tweetId, List<Path> logs) {
        StringBuilder out = new StringBuilder("\n--- chaos forensics ---\n");
        section(out, "database", () -> database(tweetId));
        section(out, "store consumer group", ChaosForensics::storeGroup);
        for (Path log : logs) {
            section(out, "warnings in " + log.getFileName(), () -> warnings(log));
        }
        return out.toString();
    }

    /**
     * Thread dumps of every running Flock process (three, a second apart) into target/chaos-threads-PID.txt: what the
     * instances were busy with while the store fell behind.
     */
    static String threadDumps() {
        StringBuilder out = new StringBuilder();
        List<ProcessHandle> flocks = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false)).toList();
        for (int sample = 0; sample < 3; sample++) {
            for (ProcessHandle flock : flocks) {
                Path file = Path.of("target", "chaos-threads-" + flock.pid() + ".txt");
                try {
                    Process jcmd = new ProcessBuilder("jcmd", String.valueOf(flock.pid()), "Thread.print")
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile())).redirectErrorStream(true).start();
                    jcmd.waitFor(20, TimeUnit.SECONDS);
                    if (sample == 0) {
                        out.append("  thread dumps of ").append(flock.pid()).append(" in ").append(file).append('\n');
                    }
                } catch (Exception e) {
                    out.append("  no thread dump of ").append(flock.pid()).append(": ").append(e).append('\n');
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return out.toString();
    }

    private interface Part {
        String get() throws Exception;
    }

    private static void section(StringBuilder out, String title, Part part) {
        out.append("[").append(title).append("]\n");
        try {
            out.append(part.get());
        } catch (Exception e) {
            out.append("  unavailable: ").append(e).append('\n');
        }
    }

    private static String database(String tweetId) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection db = DriverManager.getConnection("jdbc:" + System.getProperty(EmbeddedServices.DB_URL), "postgres", "");
             Statement sql = db.createStatement()) {
            if (tweetId != null) {
                rows(out, sql.executeQuery("SELECT id, author_id, created_at, deleted_at, created_offset, deleted_offset, idempotency_key FROM tweets WHERE id = "
                        + Long.parseLong(tweetId)), "tweet " + tweetId);
            }
            rows(out, sql.executeQuery("SELECT log_epoch, log_partition, next_offset FROM log_positions ORDER BY log_epoch, log_partition"), "log_positions");
            rows(out, sql.executeQuery("SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS xact_age, left(query, 120) AS query "
                    + "FROM pg_stat_activity WHERE datname IS NOT NULL AND state <> 'idle' AND pid <> pg_backend_pid()"), "busy sessions");
        }
        return out.toString();
    }

    private static void rows(StringBuilder out, ResultSet rows, String title) throws Exception {
        out.append("  ").append(title).append(":\n");
        int columns = rows.getMetaData().getColumnCount();
        boolean any = false;
        while (rows.next()) {
            any = true;
            StringBuilder line = new StringBuilder("    ");
            for (int c = 1; c <= columns; c++) {
                line.append(rows.getMetaData().getColumnLabel(c)).append('=').append(rows.getString(c)).append(c < columns ? " " : "");
            }
            out.append(line).append('\n');
        }
        if (!any) {
            out.append("    (none)\n");
        }
    }

    private static String storeGroup() throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty(EmbeddedServices.KAFKA_SERVERS));
        try (Admin admin = Admin.create(config)) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("flock-store")).all().get(10, TimeUnit.SECONDS).get("flock-store");
            StringBuilder out = new StringBuilder("  state " + group.state() + ", members:\n");
            group.members().forEach(m -> out.append("    ").append(m.clientId()).append(" on ").append(m.host()).append(": ")
                    .append(m.assignment().topicPartitions().stream().map(TopicPartition::partition).sorted().toList()).append('\n'));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("flock-store")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            committed.keySet().stream().filter(p -> p.topic().equals(TimelineLog.TOPIC)).sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                    .forEach(p -> out.append("    ").append(p).append(" committed ").append(committed.get(p) == null ? "-" : committed.get(p).offset())
                            .append(" end ").append(ends.get(p).offset()).append('\n'));
            return out.toString();
        }
    }

    private static String warnings(Path log) throws Exception {
        if (!Files.exists(log)) {
            return "  (no log)\n";
        }
        try (Stream<String> lines = Files.lines(log)) {
            List<String> found = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
                    .filter(l -> !l.contains("SRMSG18235") && !l.contains("has been already registered"))
                    .map(l -> l.length() > 300 ? l.substring(0, 300) : l).toList();
            return found.subList(Math.max(0, found.size() - 40), found.size()).stream().map(l -> "  " + l + "\n").collect(Collectors.joining());
        }
    }
}
