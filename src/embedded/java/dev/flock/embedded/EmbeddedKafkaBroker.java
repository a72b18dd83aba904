package dev.flock.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A real Apache Kafka broker in KRaft mode (one combined broker + controller) inside this JVM. Unlike Kafka's test kit
 * it keeps a fixed port and its log directory, so it can be stopped and started again like a real broker.
 */
final class EmbeddedKafkaBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class.getName());
    private static final String CLUSTER_ID = "ZmxvY2stZW1iZWRkZWQ";

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    EmbeddedKafkaBroker(Path root, int brokerPort, int controllerPort) {
        this.logDir = root.resolve("kafka");
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        KafkaConfig config = KafkaConfig.fromProps(properties(), false);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(CLUSTER_ID)
                    .setDirectories(java.util.List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setIgnoreFormatted(true)
                    .run();
        }
        // Kafka loads some of its own classes by name through the context class loader; a restart requested from a
        // test thread would otherwise mix the broker's classes with copies from Quarkus' class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedKafkaBroker.class.getClassLoader());
        try {
            KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
            started.startup();
            server = started;
        } finally {
            thread.setContextClassLoader(previous);
        }
        LOG.info(() -> "Embedded Kafka broker on " + bootstrapServers() + ", log in " + logDir);
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    synchronized boolean running() {
        return server != null;
    }

    String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One broker: internal topics must not wait for replicas that will never exist.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        return p;
    }
}
