package dev.flock.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL and Kafka (src/embedded, package dev.flock.embedded) exist only in the default Maven
 * profile; the production builds (-Pprod, -Pnative) leave them out. So no production class may depend on them: a
 * reference would compile here and fail in production (or break the native image).
 */
class ProductionClassesTest {

    private static final Path PROJECT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final String EMBEDDED_PACKAGE = "dev.flock.embedded";
    /** A class reference is stored in the constant pool in internal form, as modified UTF-8 (plain ASCII here). */
    private static final byte[] EMBEDDED_INTERNAL_NAME = "dev/flock/embedded".getBytes(StandardCharsets.US_ASCII);
    /** A string constant naming the package, as Class.forName or a config value would: loading by name. */
    private static final byte[] EMBEDDED_BINARY_NAME = EMBEDDED_PACKAGE.getBytes(StandardCharsets.US_ASCII);
    private static final Pattern EMBEDDED_IMPORT =
            Pattern.compile("^\\s*import\\s+(static\\s+)?dev\\.flock\\.embedded\\.", Pattern.MULTILINE);

    @Test
    void noCompiledProductionClassReferencesTheEmbeddedServices() throws IOException {
        Path classes = PROJECT.resolve("target/classes/dev/flock");
        Path embedded = classes.resolve("embedded");
        assertThat(classes).as("compiled production classes").isDirectory();

        List<Path> production;
        try (Stream<Path> files = Files.walk(classes)) {
            production = files.filter(f -> f.toString().endsWith(".class") && !f.startsWith(embedded))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertThat(production).as("production .class files under %s", classes).hasSizeGreaterThan(10);

        List<String> offenders = production.stream()
                .filter(ProductionClassesTest::referencesEmbedded)
                .map(f -> classes.relativize(f).toString())
                .collect(Collectors.toList());
        assertThat(offenders).as("production classes referencing %s (only in the dev/test build)", EMBEDDED_PACKAGE)
                .isEmpty();
    }

    @Test
    void noProductionSourceImportsTheEmbeddedServices() throws IOException {
        Path sources = PROJECT.resolve("src/main/java");
        assertThat(sources).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .sorted()
                    .filter(f -> EMBEDDED_IMPORT.matcher(read(f)).find())
                    .map(f -> sources.relativize(f).toString())
                    .collect(Collectors.toList());
        }
        assertThat(offenders).as("sources in src/main/java importing from %s", EMBEDDED_PACKAGE).isEmpty();
    }

    @Test
    void noProductionResourceNamesTheEmbeddedServices() throws IOException {
        // e.g. a META-INF/services entry or a property naming an embedded class would load it by name at run time.
        Path resources = PROJECT.resolve("src/main/resources");
        if (!Files.isDirectory(resources)) {
            return;
        }
        List<String> offenders;
        try (Stream<Path> files = Files.walk(resources)) {
            offenders = files.filter(Files::isRegularFile)
                    .sorted()
                    .filter(f -> read(f).contains(EMBEDDED_PACKAGE))
                    .map(f -> resources.relativize(f).toString())
                    .collect(Collectors.toList());
        }
        assertThat(offenders).as("resources in src/main/resources naming %s", EMBEDDED_PACKAGE).isEmpty();
    }

    private static boolean referencesEmbedded(Path classFile) {
        try {
            byte[] bytes = Files.readAllBytes(classFile);
            return indexOf(bytes, EMBEDDED_INTERNAL_NAME) >= 0 || indexOf(bytes, EMBEDDED_BINARY_NAME) >= 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + classFile, e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
