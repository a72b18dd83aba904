package dev.flock.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks stream frames against the message payloads of the AsyncAPI document the instance serves: a frame must be a
 * JSON object whose {@code type} names one of the documented messages and which is valid against that message's
 * payload schema (which admits no undocumented field). Used by {@link TestStream} on every frame it receives.
 */
final class AsyncApiContract {

    private static final String IRI = "https://contract.flock.test/asyncapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, AsyncApiContract> BY_PORT = new ConcurrentHashMap<>();

    /** Frame type (the payload's {@code type} constant) to the message's name and payload schema. */
    private final Map<String, Map.Entry<String, Schema>> messages = new HashMap<>();

    private AsyncApiContract(JsonNode root) {
        // AsyncAPI 3.0 payloads are AsyncAPI schemas, a superset of JSON Schema draft-07.
        SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getDraft7(), builder -> builder
                .schemas(Map.of(IRI, root.toString()))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("components").path("messages").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> message = it.next();
            String payloadPointer = "#/components/messages/" + message.getKey() + "/payload";
            JsonNode payload = message.getValue().path("payload");
            if (payload.has("$ref")) {
                payloadPointer = payload.get("$ref").asText();
                payload = root.at(payloadPointer.substring(1));
            }
            String type = payload.path("properties").path("type").path("const").asText();
            messages.put(type, Map.entry(message.getKey(), registry.getSchema(SchemaLocation.of(IRI + payloadPointer))));
        }
    }

    static AsyncApiContract of(int port) {
        return BY_PORT.computeIfAbsent(port, p -> new AsyncApiContract(ServedDocuments.tree(p, ServedDocuments.ASYNCAPI)));
    }

    /** What is wrong with the frame, or an empty list. */
    List<String> check(String frame) {
        JsonNode node;
        try {
            node = JSON.readTree(frame);
        } catch (IOException e) {
            return List.of("not JSON: " + frame);
        }
        Map.Entry<String, Schema> message = messages.get(node.path("type").asText());
        if (message == null) {
            return List.of("no documented message has type " + node.path("type") + ": " + frame);
        }
        ContractCoverage.record("frame " + message.getKey());
        return message.getValue().validate(node).stream().map(error -> message.getKey() + " " + error + ": " + frame).toList();
    }
}
