package dev.flock.deploy;

import dev.flock.deploy.Dockerfile.Instruction;
import dev.flock.deploy.Dockerfile.Stage;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one of the Dockerfiles here, without a container engine: the build stage's COPY lines copy from the project
 * (less what .dockerignore keeps out) into a directory standing for the stage's file system, and its RUN lines run
 * there as written; then the runtime stage's {@code COPY --from=<build stage>} lines are applied to a second directory.
 * A copy whose source the build did not produce fails, which is the check that the runtime stage's paths match what
 * the build makes.
 *
 * <p>The builder image itself is played by this machine: its JDK and {@code mvn} (the images' only tools), so the
 * build stage's ENV and {@code COPY --from=<image>} lines, which set up those tools inside the image, are not applied.
 * The build stage's directory lies under target/container-builds/, a fresh one per run, as in a new container.
 */
final class ContainerBuild {

    static final Path PROJECT = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    private static final long BUILD_MINUTES = 20;

    final Dockerfile dockerfile;
    final Stage build;
    final Path buildRoot;
    final Path runtimeRoot;
    final Path log;
    /** How long the build stage's RUN lines took. */
    java.time.Duration buildTime;

    private ContainerBuild(Dockerfile dockerfile, Path root) {
        this.dockerfile = dockerfile;
        this.build = dockerfile.stage("build");
        this.buildRoot = root.resolve("build");
        this.runtimeRoot = root.resolve("runtime");
        this.log = root.resolve("build.log");
    }

    /**
     * Runs the build stage of src/main/docker/{@code name} with {@code extraEnv} added to this machine's environment,
     * and answers when its RUN lines succeeded (the test fails otherwise, pointing at the build log).
     */
    static ContainerBuild run(String name, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Dockerfile dockerfile = Dockerfile.read(PROJECT.resolve("src/main/docker").resolve(name));
        Path root = PROJECT.resolve("target/container-builds").resolve(name);
        deleteTree(root);
        Files.createDirectories(root);
        ContainerBuild container = new ContainerBuild(dockerfile, root);
        long began = System.nanoTime();
        container.runBuildStage(extraEnv);
        container.buildTime = java.time.Duration.ofNanos(System.nanoTime() - began);
        return container;
    }

    /** Adds a line to target/container-builds/report.txt (and the test output): times and sizes, for people to read. */
    static void report(String line) throws IOException {
        Files.writeString(PROJECT.resolve("target/container-builds/report.txt"), line + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.println(line);
    }

    /** The host path of an absolute path inside the build stage. */
    Path inBuild(String imagePath) {
        return under(buildRoot, imagePath);
    }

    /** The host path of an absolute path inside the runtime stage. */
    Path inRuntime(String imagePath) {
        return under(runtimeRoot, imagePath);
    }

    /** The runtime stage's {@code COPY --from=build} lines: sources inside the build stage, then the destination. */
    List<Instruction> copiesFromBuild() {
        return dockerfile.runtime().all("COPY").stream().filter(c -> "build".equals(c.flags().get("from"))).toList();
    }

    /** Applies the runtime stage's copies from the build stage; each must find what it copies. */
    void assembleRuntime() throws IOException {
        deleteTree(runtimeRoot);
        String workdir = "/";
        for (Instruction i : dockerfile.runtime().instructions()) {
            if (i.keyword().equals("WORKDIR")) {
                workdir = Dockerfile.resolve(workdir, i.words().get(0));
            } else if (i.keyword().equals("COPY")) {
                assertThat(i.flags().get("from")).as("runtime stage copies only from the build stage: %s", i.text())
                        .isEqualTo("build");
                List<String> words = i.words();
                String destination = words.get(words.size() - 1);
                for (String source : words.subList(0, words.size() - 1)) {
                    List<Path> matches = matches(inBuild(source));
                    assertThat(matches).as("%s: the build stage made nothing at %s (COPY %s)", dockerfile.file().getFileName(),
                            source, i.text()).isNotEmpty();
                    for (Path match : matches) {
                        copy(match, inRuntime(Dockerfile.resolve(workdir, destination)),
                                destination.endsWith("/") || matches.size() > 1, List.of());
                    }
                }
            }
        }
    }

    /** The files a COPY source names: a path, whose last element may hold {@code *} or {@code ?}. */
    static List<Path> matches(Path pattern) throws IOException {
        String last = pattern.getFileName().toString();
        if (!last.contains("*") && !last.contains("?")) {
            return Files.exists(pattern) ? List.of(pattern) : List.of();
        }
        Path dir = pattern.getParent();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + last);
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        }
    }

    private void runBuildStage(Map<String, String> extraEnv) throws IOException, InterruptedException {
        String workdir = "/";
        List<IgnoreRule> ignored = dockerignore();
        for (Instruction i : build.instructions()) {
            switch (i.keyword()) {
                case "WORKDIR" -> {
                    workdir = Dockerfile.resolve(workdir, i.words().get(0));
                    Files.createDirectories(inBuild(workdir));
                }
                case "COPY" -> {
                    if (i.flags().containsKey("from")) {
                        continue;
                    }
                    List<String> words = i.words();
                    String destination = words.get(words.size() - 1);
                    for (String source : words.subList(0, words.size() - 1)) {
                        Path from = PROJECT.resolve(source);
                        assertThat(from).as("COPY %s: not in the build context", source).exists();
                        copy(from, inBuild(Dockerfile.resolve(workdir, destination)), destination.endsWith("/"), ignored);
                    }
                }
                case "RUN" -> run(i.text(), inBuild(workdir), extraEnv);
                default -> {
                    // ENV, USER and the like configure the builder image, which this machine stands in for.
                }
            }
        }
    }

    private void run(String command, Path dir, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(extraEnv);
        builder.environment().put("MAVEN_ARGS", mavenArgs());
        Files.writeString(log, "$ " + command + "   (in " + dir + ", with " + extraEnv + ")\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = builder.start();
        if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("RUN " + command + " did not finish within " + BUILD_MINUTES + " minutes; see " + log);
        }
        assertThat(process.exitValue()).as("exit code of RUN %s (%s); its output is in %s:%n%s", command,
                dockerfile.file().getFileName(), log, tail(log)).isZero();
    }

    /**
     * The Dockerfiles' cache mount gives their Maven a local repository; here it is the one of the Maven that runs the
     * tests, passed through Maven's own MAVEN_ARGS variable so that the RUN line runs as written.
     */
    private static String mavenArgs() {
        String repo = System.getProperty("flock.maven.repo-local");
        return repo == null || repo.isBlank() ? "" : "-Dmaven.repo.local=" + repo;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** One line of .dockerignore: a glob, or with {@code !} an exception to the lines before it. */
    private record IgnoreRule(PathMatcher matcher, boolean exception) {
    }

    /**
     * .dockerignore's patterns (Go-style globs relative to the context root), enough for the project's own file: as
     * the builder reads them, the last line that matches a path (or a directory above it) decides, and a line starting
     * with {@code !} lets back in what earlier lines left out.
     */
    private static List<IgnoreRule> dockerignore() throws IOException {
        Path file = PROJECT.resolve(".dockerignore");
        List<IgnoreRule> rules = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            if (exception) {
                pattern = pattern.substring(1);
            }
            if (pattern.endsWith("/")) {
                pattern = pattern.substring(0, pattern.length() - 1);
            }
            rules.add(new IgnoreRule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), exception));
        }
        return rules;
    }

    /**
     * Copies as COPY does: a directory's content into the destination, a file to the destination or, when it is a
     * directory ({@code into}), into it; what {@code ignored} matches (relative to the project) is left out.
     */
    private static void copy(Path from, Path to, boolean into, List<IgnoreRule> ignored) throws IOException {
        boolean directory = Files.isDirectory(from);
        Path target = directory || !into ? to : to.resolve(from.getFileName());
        List<Path> tree;
        try (Stream<Path> walk = Files.walk(from)) {
            tree = walk.sorted().toList();
        }
        for (Path p : tree) {
            if (!isIgnored(p, ignored)) {
                copyOne(p, directory ? target.resolve(from.relativize(p).toString()) : target);
            }
        }
    }

    private static boolean isIgnored(Path p, List<IgnoreRule> rules) {
        if (!p.startsWith(PROJECT)) {
            return false;
        }
        boolean ignored = false;
        for (IgnoreRule rule : rules) {
            for (Path part = PROJECT.relativize(p); part != null; part = part.getParent()) {
                if (rule.matcher().matches(part)) {
                    ignored = !rule.exception();
                    break;
                }
            }
        }
        return ignored;
    }

    private static void copyOne(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            Files.createDirectories(to);
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static Path under(Path root, String imagePath) {
        return root.resolve(imagePath.startsWith("/") ? imagePath.substring(1) : imagePath);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
