package dev.flock.testing;


import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** The packaged Flock (target/quarkus-app) running as its own process, in the prod profile, on a free port. */
public final class FlockProcess implements AutoCloseable {

    private final Process process;
    public final int port;
    public final Path log;
    /** From the process start to the first 200 of /q/health/ready. */
    public final Duration readyAfter;

    private FlockProcess(Process process, int port, Path log, Duration readyAfter) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.readyAfter = readyAfter;
    }

    /** The jar of this build ({@code flock.app.jar}), with this JVM's environment plus {@code env}. */
    public static FlockProcess start(String name, Map<String, String> env) throws IOException {
        String jar = System.getProperty("flock.app.jar", "target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-Xmx256m", "-jar", jar);
        builder.environment().putAll(env);
        return start(name, builder);
    }

    /** {@code command} run in {@code directory} with {@code env} (and PORT) as its whole environment: nothing inherited. */
    public static FlockProcess startWithOnly(String name, List<String> command, Path directory, Map<String, String> env)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return start(name, builder);
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static FlockProcess start(String name, ProcessBuilder builder) throws IOException {
        int port = freePort();
        Path log = Path.of("target", "it-" + name + ".log").toAbsolutePath();
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        long began = System.nanoTime();
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited; see " + log);
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException | Error e) {
            // Never ready: the process must not outlive the test that started it.
            process.destroyForcibly();
            throw e;
        }
        return new FlockProcess(process, port, log, Duration.ofNanos(System.nanoTime() - began));
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

    /** The operating system's process id (for jcmd). */
    public long pid() {
        return process.pid();
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
