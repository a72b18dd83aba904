package dev.flock.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Writes "what: median, p99, worst" of a set of latencies (in microseconds) to target/ and the console. */
public final class LatencyReport {

    private LatencyReport() {
    }

    public static void write(String file, String what, Collection<Long> latencyMicros) throws IOException {
        List<Long> sorted = new ArrayList<>(latencyMicros);
        Collections.sort(sorted);
        String report = String.format("%s over %d: median %.1f ms, p99 %.1f ms, worst %.1f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2) / 1000.0, sorted.get((int) (sorted.size() * 0.99)) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0);
        Files.writeString(Path.of("target", file), report);
        System.out.print(report);
    }
}
