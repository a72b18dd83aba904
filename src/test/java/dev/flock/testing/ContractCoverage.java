package dev.flock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which operations (with which statuses) and which frame types the contract checks have seen in a run, one line each
 * in target/contract-coverage.txt (several JVMs append to it; read it with sort -u).
 */
final class ContractCoverage {

    private static final Path FILE = Path.of("target", "contract-coverage.txt");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private ContractCoverage() {
    }

    static void record(String what) {
        if (SEEN.add(what)) {
            try {
                synchronized (ContractCoverage.class) {
                    Files.writeString(FILE, what + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
