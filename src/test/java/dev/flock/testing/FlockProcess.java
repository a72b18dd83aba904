package dev.flock.testing;

import dev.flock.embedded.DevSigningKeys;
import dev.flock.embedded.EmbeddedServices;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** The packaged Flock (target/quarkus-app) running as its own process, in the prod profile, on a free port. */
public final class FlockProcess implements AutoCloseable {

    private final Process process;
    public final int port;
    public final Path log;

    private FlockProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * What a production deployment sets, pointed at this test run's embedded PostgreSQL and Kafka: the documented
     * environment variables only, with a fresh signing key pair.
     */
    public static Map<String, String> productionEnvironment() throws Exception {
        Map<String, String> services = EmbeddedServices.ensureStarted(false);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Map<String, String> env = new HashMap<>();
        env.put("FLOCK_DB_URL", services.get(EmbeddedServices.DB_URL));
        env.put("FLOCK_DB_USER", "postgres");
        env.put("FLOCK_DB_PASSWORD", "");
        env.put("KAFKA_BOOTSTRAP_SERVERS", services.get(EmbeddedServices.KAFKA_SERVERS));
        env.put("FLOCK_JWT_PRIVATE_KEY", DevSigningKeys.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        env.put("FLOCK_JWT_PUBLIC_KEY", DevSigningKeys.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        env.put("FLOCK_TRUSTED_PROXIES", "127.0.0.0/8");
        return env;
    }

    public static FlockProcess start(String name, Map<String, String> env) throws IOException {
        int port = freePort();
        String jar = System.getProperty("flock.app.jar", "target/quarkus-app/quarkus-run.jar");
        Path log = Path.of("target", "it-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PORT", String.valueOf(port));
        FlockProcess flock = new FlockProcess(builder.start(), port, log);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!flock.process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return flock;
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the process to exit. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    /** SIGKILL: no drain, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
