package dev.flock.mastodon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request parameters as Mastodon (Rails) reads them: from the query string and from a JSON, form-encoded or
 * multipart body alike, the body winning; {@code name[]} and JSON arrays are lists; nested JSON objects read as
 * {@code outer[inner]}. Clients differ in which encoding they use, so every endpoint accepts all of them.
 */
public final class Params {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Params() {
    }

    public static Params of(MultivaluedMap<String, String> query, String contentType, String body) {
        Params params = new Params();
        query.forEach((key, list) -> list.forEach(v -> params.add(key, v)));
        if (body == null || body.isBlank()) {
            return params;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        Params fromBody = new Params();
        if (type.startsWith(MediaType.APPLICATION_JSON)) {
            fromBody.readJson(body);
        } else if (type.startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            fromBody.readForm(body);
        } else if (type.startsWith(MediaType.MULTIPART_FORM_DATA)) {
            fromBody.readMultipart(body, boundary(contentType));
        } else {
            throw new MastodonError(415, "Unsupported media type: send JSON, form-encoded or multipart parameters");
        }
        params.values.putAll(fromBody.values);
        return params;
    }

    /** The single value, or null when absent. */
    public String text(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
    }

    /** Every value: {@code name[]=a&name[]=b}, {@code name=a}, or a JSON array. */
    public List<String> list(String name) {
        return values.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A boolean as Rails reads one: "true", "1", "on" and the like are true. */
    public boolean bool(String name, boolean otherwise) {
        String v = text(name);
        if (v == null || v.isEmpty()) {
            return otherwise;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "on", "t", "yes" -> true;
            default -> false;
        };
    }

    private void add(String key, String value) {
        String name = key.endsWith("[]") ? key.substring(0, key.length() - 2) : key;
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private void readJson(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            throw new MastodonError(400, "The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MastodonError(400, "The request body must be a JSON object");
        }
        readJsonObject("", root);
    }

    private void readJsonObject(String prefix, JsonNode object) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String key = prefix.isEmpty() ? field.getKey() : prefix + "[" + field.getKey() + "]";
            JsonNode value = field.getValue();
            if (value.isArray()) {
                List<String> list = values.computeIfAbsent(key, k -> new ArrayList<>());
                value.forEach(item -> {
                    if (item.isValueNode() && !item.isNull()) {
                        list.add(item.asText());
                    }
                });
            } else if (value.isObject()) {
                readJsonObject(key, value);
            } else if (!value.isNull()) {
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value.asText());
            }
        }
    }

    private void readForm(String body) {
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            add(key, value);
        }
    }

    /** The text parts of a multipart body; files are not read (Flock takes no media). */
    private void readMultipart(String body, String boundary) {
        if (boundary == null) {
            throw new MastodonError(400, "A multipart body needs a boundary");
        }
        for (String part : body.split("--" + Pattern.quote(boundary))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headersEnd);
            Matcher name = Pattern.compile("(?i)content-disposition:[^\\r\\n]*\\bname=\"([^\"]*)\"").matcher(headers);
            if (!name.find() || headers.toLowerCase(Locale.ROOT).contains("filename=")) {
                continue;
            }
            String value = part.substring(headersEnd + 4);
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            }
            add(name.group(1), value);
        }
    }

    private static String boundary(String contentType) {
        for (String piece : contentType.split(";")) {
            String p = piece.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MastodonError(400, "The form body is malformed");
        }
    }
}
