package dev.flock.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks every answer under /api against the OpenAPI document the answering instance serves: the status must be one
 * the operation documents, the Content-Type one of that response's media types, the body valid against its schema
 * (which admits no undocumented field), each required header present and each documented header valid. An answer to
 * a path or method the document does not have must at least be a problem+json error. A mismatch fails the request's
 * test on the spot. Installed on every request of the suite by {@link TestApi#fromAddress(String)}.
 */
public final class OpenApiContract implements Filter {

    public static final OpenApiContract INSTANCE = new OpenApiContract();

    private static final String IRI = "https://contract.flock.test/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, Document> DOCUMENTS = new ConcurrentHashMap<>();

    private OpenApiContract() {
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification spec, FilterContext context) {
        Response response = context.next(request, spec);
        URI uri = URI.create(request.getURI());
        // /api/v1 and /api/v2 are the Mastodon client API, described by docs/mastodon-api.md, not by this document.
        if (uri.getRawPath().startsWith("/api/") && !uri.getRawPath().startsWith("/api/v1/") && !uri.getRawPath().startsWith("/api/v2/")) {
            List<String> violations = DOCUMENTS.computeIfAbsent(uri.getPort(), Document::load)
                    .check(request.getMethod(), uri.getRawPath(), response);
            if (!violations.isEmpty()) {
                throw new AssertionError("The answer to " + request.getMethod() + " " + uri.getRawPath() + " (" + response.statusCode()
                        + ") breaks the served OpenAPI document:\n  " + String.join("\n  ", violations)
                        + "\n  body: " + abbreviate(response.asString()));
            }
        }
        return response;
    }

    private static String abbreviate(String body) {
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }

    /** One served document, its paths as patterns (literal paths before templated ones) and its compiled schemas. */
    private static final class Document {
        private record Route(String template, Pattern pattern, long parameters) {
        }

        private final JsonNode root;
        private final List<Route> routes = new ArrayList<>();
        private final SchemaRegistry schemas;
        private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

        private Document(JsonNode root) {
            this.root = root;
            for (Iterator<String> it = root.path("paths").fieldNames(); it.hasNext(); ) {
                String template = it.next();
                String regex = Pattern.compile("\\{[^/]+}").splitAsStream(template).map(Pattern::quote)
                        .reduce((a, b) -> a + "[^/]+" + b).orElse("");
                if (template.endsWith("}")) {
                    regex += "[^/]+";
                }
                routes.add(new Route(template, Pattern.compile(regex), template.chars().filter(c -> c == '{').count()));
            }
            routes.sort(Comparator.comparingLong(Route::parameters));
            String text = root.toString();
            schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                    .schemas(Map.of(IRI, text))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        }

        static Document load(int port) {
            return new Document(ServedDocuments.tree(port, ServedDocuments.OPENAPI));
        }

        List<String> check(String method, String rawPath, Response response) {
            List<String> violations = new ArrayList<>();
            String status = String.valueOf(response.statusCode());
            Route route = routes.stream().filter(r -> r.pattern().matcher(rawPath).matches()).findFirst().orElse(null);
            String verb = method.toLowerCase(Locale.ROOT);
            if (route == null || !root.path("paths").path(route.template()).has(verb)) {
                // Not an operation of the API (an unknown path, a method the path does not have): only an error is right.
                if (response.statusCode() < 400) {
                    violations.add("no documented operation, yet answered " + status);
                } else {
                    body(response, "application/problem+json", "#/components/schemas/Problem", violations);
                }
                return violations;
            }
            String operationPointer = "#/paths/" + escape(route.template()) + "/" + verb;
            JsonNode operation = root.path("paths").path(route.template()).path(verb);
            JsonNode documented = operation.path("responses").path(status);
            if (documented.isMissingNode()) {
                violations.add("status " + status + " is not documented for " + operation.path("operationId").asText());
                return violations;
            }
            ContractCoverage.record("operation " + operation.path("operationId").asText() + " " + status);
            String responsePointer = operationPointer + "/responses/" + status;
            JsonNode content = documented.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                if (!response.asString().isEmpty()) {
                    violations.add("the response documents no body, yet one came");
                }
            } else {
                String mediaType = mediaType(response.contentType());
                if (!content.has(mediaType)) {
                    violations.add("Content-Type " + response.contentType() + " is not one of " + fieldNames(content));
                } else {
                    body(response, mediaType, responsePointer + "/content/" + escape(mediaType) + "/schema", violations);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = documented.path("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> header = it.next();
                String pointer = responsePointer + "/headers/" + escape(header.getKey());
                JsonNode definition = header.getValue();
                if (definition.has("$ref")) {
                    pointer = definition.get("$ref").asText();
                    definition = resolve(pointer);
                }
                String value = response.header(header.getKey());
                if (value == null) {
                    if (definition.path("required").asBoolean(false)) {
                        violations.add("required header " + header.getKey() + " is missing");
                    }
                    continue;
                }
                JsonNode instance = "integer".equals(definition.path("schema").path("type").asText()) && value.matches("-?\\d{1,9}")
                        ? IntNode.valueOf(Integer.parseInt(value)) : TextNode.valueOf(value);
                schema(pointer + "/schema").validate(instance)
                        .forEach(error -> violations.add("header " + header.getKey() + ": " + error));
            }
            return violations;
        }

        private void body(Response response, String mediaType, String schemaPointer, List<String> violations) {
            if (!mediaType(response.contentType()).equals(mediaType)) {
                violations.add("Content-Type " + response.contentType() + " is not " + mediaType);
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(response.asString());
            } catch (IOException e) {
                violations.add("the body is not JSON: " + e.getMessage());
                return;
            }
            schema(schemaPointer).validate(body).forEach(error -> violations.add("body " + error));
        }

        private Schema schema(String pointer) {
            return compiled.computeIfAbsent(pointer, p -> schemas.getSchema(SchemaLocation.of(IRI + p)));
        }

        private JsonNode resolve(String pointer) {
            return root.at(URLDecoder.decode(pointer.substring(1), StandardCharsets.UTF_8));
        }
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    /** A JSON pointer segment as a URI fragment holds it: braces and plus signs percent-encoded (RFC 6901, 6). */
    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D").replace("+", "%2B");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
