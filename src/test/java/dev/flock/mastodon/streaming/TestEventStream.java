package dev.flock.mastodon.streaming;

import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A real client of a server-sent event stream (/api/v1/streaming/...), keeping the raw text as it arrives. */
final class TestEventStream implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();

    private final HttpClient client;
    private final HttpClientResponse response;
    private final StringBuffer text = new StringBuffer();
    private volatile boolean ended;

    /** One event: its name and its data. */
    record Event(String name, String data) {
        JsonObject json() {
            return new JsonObject(data);
        }
    }

    private TestEventStream(HttpClient client, HttpClientResponse response) {
        this.client = client;
        this.response = response;
        response.handler(buffer -> text.append(buffer.toString()));
        response.endHandler(v -> ended = true);
        response.exceptionHandler(e -> ended = true);
    }

    /** GETs the path (with the token in the Authorization header when not null) and starts reading the answer. */
    static TestEventStream open(String path, String token) {
        HttpClient client = VERTX.createHttpClient();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
                .setPort(RestAssured.port).setURI(path);
        if (token != null) {
            request.addHeader("Authorization", "Bearer " + token);
        }
        try {
            // The handlers are set on the response before it is handed back, on the event loop: nothing is missed.
            return client.request(request).compose(r -> r.send()).map(r -> new TestEventStream(client, r))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.getHeader(name);
    }

    String text() {
        return text.toString();
    }

    boolean ended() {
        return ended;
    }

    /** The complete events received so far (blocks ending with a blank line, comments left out). */
    List<Event> events() {
        List<Event> events = new ArrayList<>();
        String all = text.toString();
        int end;
        int from = 0;
        while ((end = all.indexOf("\n\n", from)) >= 0) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : all.substring(from, end).split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring("data: ".length()));
                }
            }
            if (name != null) {
                events.add(new Event(name, data.toString()));
            }
            from = end + 2;
        }
        return events;
    }

    List<String> updatedIds() {
        return events().stream().filter(e -> e.name().equals("update")).map(e -> e.json().getString("id")).toList();
    }

    List<String> deletedIds() {
        return events().stream().filter(e -> e.name().equals("delete")).map(Event::data).toList();
    }

    void awaitEnd() {
        await().atMost(Duration.ofSeconds(20)).until(() -> ended);
    }

    /** The whole body of an answer that is not a stream (an error). */
    String awaitBody() {
        awaitEnd();
        return text();
    }

    @Override
    public void close() {
        client.close();
    }
}
