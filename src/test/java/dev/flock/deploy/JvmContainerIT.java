package dev.flock.deploy;

import dev.flock.deploy.Dockerfile.Instruction;
import dev.flock.testing.FlockProcess;
import dev.flock.testing.ProductionEnvironment;
import dev.flock.testing.TestApi.TestAccount;
import dev.flock.testing.TestStream;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM image, built and run as src/main/docker/Dockerfile.jvm says, without a container engine: its build stage's
 * RUN line (the README's {@code -Pprod} build) runs on a copy of the build context, its runtime stage is assembled
 * from what that build made, and its ENTRYPOINT is started with no environment but the image's ENV lines and the
 * variables the README documents, on the real PostgreSQL and Kafka of this test run.
 */
class JvmContainerIT {

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    private static ContainerBuild container;
    private static FlockProcess flock;

    @BeforeAll
    static void buildAndStart() throws Exception {
        container = ContainerBuild.run("Dockerfile.jvm", Map.of());
        container.assembleRuntime();
        Map<String, String> env = new LinkedHashMap<>(imageEnvironment());
        env.putAll(documentedEnvironment());
        flock = FlockProcess.startWithOnly("jvm-container", entrypoint(), workdir(), env);
        RestAssured.port = flock.port;
    }

    @AfterAll
    static void stop() throws Exception {
        if (flock != null) {
            flock.close();
        }
    }

    @Test
    void runtimeStageCopiesEveryLayerOfTheFastJarTheBuildMade() throws Exception {
        List<String> copied = new ArrayList<>();
        for (Instruction copy : container.copiesFromBuild()) {
            List<String> words = copy.words();
            for (String source : words.subList(0, words.size() - 1)) {
                ContainerBuild.matches(container.inBuild(source)).forEach(p -> copied.add(p.getFileName().toString()));
            }
        }
        Path app = container.inBuild(container.build.workdir()).resolve("target/quarkus-app");
        List<String> made;
        try (var entries = Files.list(app)) {
            made = entries.map(p -> p.getFileName().toString()).toList();
        }
        // Every jar and directory is needed at run time; the one other file, quarkus-app-dependencies.txt, is a
        // listing for people.
        assertThat(copied).as("what the runtime stage copies out of %s", app)
                .contains("quarkus-run.jar", "lib", "app", "quarkus")
                .containsAll(made.stream().filter(n -> n.endsWith(".jar") || Files.isDirectory(app.resolve(n))).toList());
    }

    @Test
    void productionPackageHoldsNoEmbeddedService() throws Exception {
        Path deployed = container.inRuntime(container.dockerfile.runtime().workdir());
        assertThat(EmbeddedArtifacts.jarsIn(deployed)).as("embedded-profile jars in the runtime stage").isEmpty();
        assertThat(EmbeddedArtifacts.classesIn(deployed)).as("embedded-service classes in the runtime stage").isEmpty();
        // The same checks find them in this test run's own (default profile) package: they are not blind.
        Path testBuild = ContainerBuild.PROJECT.resolve("target/quarkus-app");
        assertThat(EmbeddedArtifacts.jarsIn(testBuild)).as("embedded jars in the default build").isNotEmpty();
        assertThat(EmbeddedArtifacts.classesIn(testBuild)).as("embedded classes in the default build").isNotEmpty();
    }

    @Test
    void productionJarServesAPostToAFollowersStream() throws Exception {
        TestAccount follower = signUp("jvmF");
        TestAccount author = signUp("jvmA");
        follow(follower, author);
        try (TestStream stream = TestStream.open(flock.port, follower.token(), null)) {
            stream.awaitCaughtUp();
            String id = post(author, "from the production jar");
            stream.awaitTweet(id);
            JsonObject tweet = stream.frames().stream().filter(f -> "tweet".equals(f.getString("type")))
                    .map(f -> f.getJsonObject("tweet")).filter(t -> id.equals(t.getString("id"))).findFirst().orElseThrow();
            assertThat(tweet.getString("text")).isEqualTo("from the production jar");
            assertThat(tweet.getJsonObject("author").getString("username")).isEqualTo(author.username());
        }
        String log = Files.readString(flock.log);
        assertThat(log).as("the prod profile is active").contains("Profile prod activated");
        Matcher started = STARTED.matcher(log);
        ContainerBuild.report(String.format("JVM image (Dockerfile.jvm): build stage %d ms, app %s, ready %d ms after the "
                        + "process started (Quarkus: started in %ss)", container.buildTime.toMillis(),
                sizeOf(container.inRuntime(container.dockerfile.runtime().workdir())),
                flock.readyAfter.toMillis(), started.find() ? started.group(1) : "?"));
    }

    /**
     * The PostgreSQL and Kafka of this test run, and a fresh token key pair, given only through variables that the
     * README's configuration table documents (PORT is added by FlockProcess and documented there as well).
     */
    private static Map<String, String> documentedEnvironment() throws Exception {
        Map<String, String> env = ProductionEnvironment.forTests();
        String readme = Files.readString(ContainerBuild.PROJECT.resolve("README.md"));
        int from = readme.indexOf("## Configuration");
        int to = readme.indexOf("\n## ", from + 1);
        assertThat(from).as("README has a Configuration section").isNotNegative();
        String configuration = readme.substring(from, to < 0 ? readme.length() : to);
        List<String> given = new ArrayList<>(env.keySet());
        given.add("PORT");
        assertThat(given).as("variables given to the production jar, each documented in README Configuration")
                .allMatch(name -> configuration.contains("`" + name + "`"));
        return env;
    }

    /** The runtime stage's own ENV lines (locale, JVM memory options), as the container would have them. */
    private static Map<String, String> imageEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : container.dockerfile.runtime().all("ENV")) {
            for (String word : i.words()) {
                String[] pair = word.split("=", 2);
                env.put(pair[0], pair[1]);
            }
        }
        return env;
    }

    /**
     * The runtime stage's ENTRYPOINT with its paths inside the image mapped to the assembled runtime directory, and
     * {@code java} being this machine's. One option is added: the HTTP server listens on the loopback address only,
     * where the image's 0.0.0.0 is meant for a container's own network.
     */
    private static List<String> entrypoint() {
        List<String> command = new ArrayList<>();
        for (String word : container.dockerfile.runtime().entrypoint()) {
            if (command.isEmpty() && word.equals("java")) {
                command.add(FlockProcess.javaExecutable());
            } else if (word.startsWith("/") && Files.exists(container.inRuntime(word))) {
                command.add(container.inRuntime(word).toString());
            } else {
                if (word.equals("-jar")) {
                    command.add("-Dquarkus.http.host=127.0.0.1");
                }
                command.add(word);
            }
        }
        assertThat(command).as("ENTRYPOINT of Dockerfile.jvm runs a jar").contains("-jar");
        return command;
    }

    private static Path workdir() {
        return container.inRuntime(container.dockerfile.runtime().workdir());
    }

    private static String sizeOf(Path dir) throws Exception {
        long bytes;
        try (var tree = Files.walk(dir)) {
            bytes = tree.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        return String.format("%.1f MB", bytes / 1_000_000.0);
    }
}
