package dev.flock.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.ObjectName;
import java.util.stream.Stream;

/**
 * The real PostgreSQL and Kafka that Flock starts for itself in dev and test when none is configured, once per JVM.
 *
 * <p>Quarkus builds its configuration several times and dev mode reloads classes on every change, so the state that
 * must outlive a class loader ("already started", the URLs) lives in system properties, and the controls in JMX.
 */
public final class EmbeddedServices {

    private static final Logger LOG = Logger.getLogger(EmbeddedServices.class.getName());

    public static final String DB_URL = "flock.embedded.db-url";
    public static final String KAFKA_SERVERS = "flock.embedded.kafka-servers";
    /** Set by the application while it runs, so the shutdown hook stops it before the services it uses. */
    public static final String APP_RUNNING = "flock.embedded.app-running";

    private EmbeddedServices() {
    }

    /** Starts the services once per JVM (also used directly by tests that run Flock as separate processes). */
    public static synchronized Map<String, String> ensureStarted(boolean persistent) {
        if (System.getProperty(DB_URL) == null) {
            start(persistent);
        }
        return Map.of(DB_URL, System.getProperty(DB_URL), KAFKA_SERVERS, System.getProperty(KAFKA_SERVERS));
    }

    private static void start(boolean persistent) {
        Path root = dataRoot(persistent);
        long began = System.nanoTime();
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(root, freePort());
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(root, freePort(), freePort());
        try {
            if (!persistent) {
                wipe(root);
            }
            Files.createDirectories(root);
            postgres.start();
            kafka.start();
        } catch (Exception e) {
            kafka.stop();
            postgres.stop();
            throw new IllegalStateException("Could not start the embedded PostgreSQL and Kafka under " + root, e);
        }
        LOG.info(() -> String.format("Embedded PostgreSQL and Kafka ready in %d ms", (System.nanoTime() - began) / 1_000_000));

        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new EmbeddedServicesControl(postgres, kafka),
                    new ObjectName(EmbeddedServicesControlMBean.NAME));
        } catch (JMException e) {
            LOG.warning("Embedded services control not registered: " + e);
        }
        System.setProperty(DB_URL, postgres.reactiveUrl());
        System.setProperty(KAFKA_SERVERS, kafka.bootstrapServers());

        Thread stopper = new Thread(() -> {
            awaitApplicationStop(Duration.ofSeconds(20));
            // Neither needs the other to stop, so they stop side by side.
            Thread kafkaStop = new Thread(kafka::stop, "flock-embedded-stop-kafka");
            kafkaStop.start();
            postgres.stop();
            try {
                kafkaStop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "flock-embedded-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
    }

    /** Shutdown hooks run concurrently: give the application the chance to close its consumers and pools first. */
    private static void awaitApplicationStop(Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Boolean.getBoolean(APP_RUNNING) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Path dataRoot(boolean persistent) {
        String configured = System.getProperty("flock.embedded.data-dir", System.getenv("FLOCK_EMBEDDED_DATA_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path project = projectRoot();
        return persistent ? project.resolve(".flock-data") : project.resolve("target").resolve("embedded");
    }

    /** Dev mode and tests may run with the working directory in target/; the data belongs beside pom.xml. */
    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return dir;
    }

    private static void wipe(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        // A test run that was SIGKILLed may have left its PostgreSQL running on this directory.
        new EmbeddedPostgresServer(root, 0).stopOrphan();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.startsWith(root.resolve("postgres-bin")))
                    .forEach(p -> p.toFile().delete());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
