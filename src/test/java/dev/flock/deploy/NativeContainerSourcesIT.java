package dev.flock.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.deploy.Dockerfile.Instruction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native image as far as a machine without GraalVM can build it: src/main/docker/Dockerfile.native's build stage
 * runs as written (the README's {@code -Pnative} build) with {@code QUARKUS_NATIVE_SOURCES_ONLY=true}, so Quarkus
 * stops where it would call native-image and leaves the image's inputs in target/native-sources: the application jar,
 * its libraries and the native-image arguments. What the image would hold is checked there.
 */
class NativeContainerSourcesIT {

    private static final Pattern BUILDER_JDK = Pattern.compile(":jdk-(\\d+)$");

    private static ContainerBuild container;
    private static Path sources;
    private static List<String> args;

    @BeforeAll
    static void buildSources() throws Exception {
        container = ContainerBuild.run("Dockerfile.native", Map.of("QUARKUS_NATIVE_SOURCES_ONLY", "true"));
        sources = container.inBuild(container.build.workdir()).resolve("target/native-sources");
        assertThat(sources.resolve("native-image.args")).as("native-image arguments").isRegularFile();
        args = Arrays.asList(Files.readString(sources.resolve("native-image.args")).strip().split("\\s+"));
        ContainerBuild.report(String.format("Native sources (Dockerfile.native, sources only): build stage %d ms, %d "
                + "native-image arguments", container.buildTime.toMillis(), args.size()));
    }

    @Test
    void nativeSourcesHoldNoEmbeddedService() throws IOException {
        assertThat(EmbeddedArtifacts.jarsIn(sources)).as("embedded-profile jars in the native sources").isEmpty();
        assertThat(EmbeddedArtifacts.classesIn(sources)).as("embedded-service classes in the native sources").isEmpty();
        assertThat(String.join(" ", args)).as("native-image arguments").doesNotContain("dev.flock.embedded", "zonky");
    }

    @Test
    void nativeImageIncludesTheMigrationsTheWebPageAndTheConfiguration() throws IOException {
        List<String> expected = new ArrayList<>();
        expected.add("application.properties");
        expected.addAll(filesUnder(ContainerBuild.PROJECT.resolve("db/migrations"), "db/migrations/"));
        expected.addAll(filesUnder(ContainerBuild.PROJECT.resolve("src/main/resources/META-INF/resources"), "META-INF/resources/"));
        assertThat(expected).as("migrations and web page files").hasSizeGreaterThan(5);

        try (ZipFile runner = new ZipFile(runnerJar().toFile())) {
            for (String resource : expected) {
                assertThat(runner.getEntry(resource)).as("%s in %s", resource, runnerJar().getFileName()).isNotNull();
            }
            List<Pattern> included = new ArrayList<>();
            try (InputStream in = runner.getInputStream(runner.getEntry("META-INF/native-image/resource-config.json"))) {
                for (JsonNode include : new ObjectMapper().readTree(in).path("resources").path("includes")) {
                    included.add(Pattern.compile(include.path("pattern").asText()));
                }
            }
            // application.properties needs no registration: Quarkus records its values in generated code at build time.
            for (String resource : expected.subList(1, expected.size())) {
                assertThat(included).as("native-image resource registration of %s", resource)
                        .anySatisfy(p -> assertThat(p.matcher(resource).matches()).isTrue());
            }
        }
    }

    @Test
    void nativeImageArgumentsMakeTheExecutableTheRuntimeStageRuns() {
        // The runtime image has no JVM to fall back to, and its glibc-based micro image runs a dynamically linked
        // executable only.
        assertThat(args).as("native-image arguments").contains("--no-fallback").doesNotContain("--static", "--libc=musl");

        // native-image [options] <name> -jar <name>.jar; Quarkus moves the executable to target/<name>.
        int jar = args.indexOf("-jar");
        assertThat(jar).as("-jar in the native-image arguments").isPositive();
        String name = args.get(jar - 1);
        assertThat(args.get(jar + 1)).isEqualTo(name + ".jar");

        List<Instruction> copies = container.copiesFromBuild();
        assertThat(copies).as("the runtime stage's copies from the build stage").hasSize(1);
        List<String> words = copies.get(0).words();
        assertThat(words).as("COPY --from=build <executable> <destination>").hasSize(2);
        String source = words.get(0);
        String target = container.build.workdir() + "/target/";
        assertThat(source).as("the executable's path in the build stage").startsWith(target);
        assertThat(Path.of(name)).as("the executable %s matched by COPY --from=build %s", name, source)
                .matches(p -> p.getFileSystem().getPathMatcher("glob:" + source.substring(target.length())).matches(p));

        String destination = Dockerfile.resolve(container.dockerfile.runtime().workdir(), words.get(1));
        String executable = container.dockerfile.runtime().entrypoint().get(0);
        assertThat(Dockerfile.resolve(container.dockerfile.runtime().workdir(), executable))
                .as("the ENTRYPOINT runs what the runtime stage copied").isEqualTo(destination);
    }

    @Test
    void nativeSourcesAreForTheBuilderImageTheDockerfileNames() throws IOException {
        String graalvm = Files.readString(sources.resolve("graalvm.version")).strip();
        String builder = container.dockerfile.args().get("MANDREL_IMAGE");
        Matcher jdk = BUILDER_JDK.matcher(builder);
        assertThat(jdk.find()).as("MANDREL_IMAGE %s names its JDK as :jdk-N", builder).isTrue();
        assertThat(graalvm.split("\\.")[0]).as("GraalVM version the arguments were made for (%s) vs the builder %s",
                graalvm, builder).isEqualTo(jdk.group(1));
    }

    private Path runnerJar() throws IOException {
        try (Stream<Path> files = Files.list(sources)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
    }

    private static List<String> filesUnder(Path dir, String prefix) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            return tree.filter(Files::isRegularFile).map(p -> prefix + dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
