package dev.flock.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads Flock's own numbers: /q/metrics (heap, CPU, stream and frame counters) and, when local, /proc (RSS). */
final class ServerProbe {

    record Sample(long nanos, double heapBytes, double cpuSeconds, double rssBytes, double framesDropped,
                  double framesSent, double streamsOpen, double slowClosed) {
    }

    private final Client client;
    final long pid;

    ServerProbe(Client client, Config config) {
        this.client = client;
        this.pid = findPid(config);
    }

    Sample sample() {
        String m;
        try {
            m = client.metrics();
        } catch (RuntimeException e) {
            return new Sample(System.nanoTime(), Double.NaN, Double.NaN, rss(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double cpu = Client.metric(m, "process_cpu_seconds_total");
        if (Double.isNaN(cpu)) {
            cpu = Client.metric(m, "process_cpu_time_ns_total") / 1e9;
        }
        double rss = Client.metric(m, "process_resident_memory_bytes");
        if (Double.isNaN(rss)) {
            rss = rss();
        }
        return new Sample(System.nanoTime(), Client.metric(m, "jvm_memory_used_bytes", "area=\"heap\""), cpu, rss,
                Client.metric(m, "flock_frames_dropped_total"), Client.metric(m, "flock_frames_sent_total"),
                Client.metric(m, "flock_streams_open"), Client.metric(m, "flock_streams_slow_closed_total"));
    }

    /** Heap without a remote GC: the smallest of several samples (a sample just after a young GC is close to live). */
    Sample settled(int samples, long everyMs) {
        Sample best = null;
        for (int i = 0; i < samples; i++) {
            Sample s = sample();
            if (best == null || s.heapBytes() < best.heapBytes()) {
                best = new Sample(s.nanos(), s.heapBytes(), s.cpuSeconds(), best == null ? s.rssBytes() : Math.min(best.rssBytes(), s.rssBytes()),
                        s.framesDropped(), s.framesSent(), s.streamsOpen(), s.slowClosed());
            }
            if (i + 1 < samples) {
                Poster.sleep(everyMs);
            }
        }
        return best;
    }

    /** Adds server CPU and frame counters between two samples to a result. */
    void describe(Result r, Sample before, Sample after, long deliveredTweets) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        double cpu = after.cpuSeconds() - before.cpuSeconds();
        r.put("server CPU seconds", cpu);
        r.put("server cores busy (avg)", cpu / seconds);
        r.put("server CPU ms per delivered tweet", deliveredTweets == 0 ? Double.NaN : cpu * 1000 / deliveredTweets);
        r.put("server frames dropped", after.framesDropped() - before.framesDropped());
        r.put("server streams closed slow (1013)", after.slowClosed() - before.slowClosed());
    }

    double rss() {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // gone, or not ours to read
        }
        return Double.NaN;
    }

    /** The local process listening on the base port (via /proc/net/tcp* and /proc/PID/fd), or the --server-pid given. */
    static long findPid(Config config) {
        String given = config.str("server-pid");
        if (given.equals("none")) {
            return -1;
        }
        if (!given.equals("auto")) {
            return Long.parseLong(given);
        }
        if (!(config.host.equals("localhost") || config.host.startsWith("127.") || config.host.equals("[::1]"))) {
            return -1;
        }
        try {
            String inode = null;
            for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path p = Path.of(file);
                if (!Files.exists(p)) {
                    continue;
                }
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(":" + String.format("%04X", config.port))) {
                        inode = f[9];
                    }
                }
            }
            if (inode == null) {
                return -1;
            }
            String target = "socket:[" + inode + "]";
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                        for (Path fd : (Iterable<Path>) fds::iterator) {
                            try {
                                if (Files.readSymbolicLink(fd).toString().equals(target)) {
                                    return Long.parseLong(name);
                                }
                            } catch (IOException ignored) {
                                // fd closed meanwhile
                            }
                        }
                    } catch (IOException | SecurityException ignored) {
                        // not ours
                    }
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
