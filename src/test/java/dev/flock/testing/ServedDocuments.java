package dev.flock.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The API documents as a running Flock serves them, read once per instance (port) and document. */
public final class ServedDocuments {

    public static final String OPENAPI = "/q/openapi";
    public static final String ASYNCAPI = "/asyncapi.yaml";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();
    /** The schema validator reads a whole document as a schema and would warn about each top-level key it does not know. */
    private static final Logger VALIDATOR_LOG = Logger.getLogger("com.networknt");

    static {
        VALIDATOR_LOG.setLevel(Level.SEVERE);
    }

    private ServedDocuments() {
    }

    /** The document's text exactly as served (both are YAML). */
    public static String text(int port, String path) {
        return TEXTS.computeIfAbsent(port + path, k -> fetch(port, path));
    }

    public static JsonNode tree(int port, String path) {
        try {
            return YAML.readTree(text(port, path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fetch(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
