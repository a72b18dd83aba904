package dev.flock.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** A real PostgreSQL 17 server (zonky binaries) in its own process, restartable on the same port and data. */
final class EmbeddedPostgresServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class.getName());

    private final Path dataDir;
    private final Path workDir;
    private final int port;
    private EmbeddedPostgres server;

    EmbeddedPostgresServer(Path root, int port) {
        this.dataDir = root.resolve("postgres");
        this.workDir = root.resolve("postgres-bin");
        this.port = port;
    }

    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Files.createDirectories(workDir);
        stopOrphan();
        boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
        server = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(workDir.toFile())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .start();
        LOG.info(() -> "Embedded PostgreSQL " + (fresh ? "initialised" : "restarted") + " on port " + port + ", data in " + dataDir);
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warning("Stopping embedded PostgreSQL failed: " + e);
        }
        server = null;
    }

    synchronized boolean running() {
        return server != null;
    }

    String reactiveUrl() {
        return "postgresql://localhost:" + port + "/postgres";
    }

    /** A JVM killed with SIGKILL leaves its postmaster running on the data directory; stop it before reusing the data. */
    void stopOrphan() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(orphan -> {
                LOG.warning("Stopping PostgreSQL " + pid + " left running by an earlier run");
                orphan.destroy();
                try {
                    orphan.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    orphan.destroyForcibly();
                }
            });
            Files.deleteIfExists(pidFile);
        } catch (IOException | RuntimeException e) {
            LOG.warning("Could not read " + pidFile + ": " + e);
        }
    }
}
