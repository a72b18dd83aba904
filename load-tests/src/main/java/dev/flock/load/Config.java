package dev.flock.load;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line parameters: {@code --name value} pairs, every one with a default sized for a 2-core machine. */
final class Config {

    static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();

    static {
        opt("base", "http://localhost:8080", "Flock base URL");
        opt("scenario", "all", "fanout | connections | polling | ceiling | all (comma-separated list also works)");
        opt("authors", "20", "accounts that post");
        opt("readers", "200", "subscriber/reader accounts (one stream or one poller each)");
        opt("follows", "5", "authors each reader follows; followers per author = readers*follows/authors");
        opt("stream-api", "flock", "what the fanout readers hold: flock (/api/stream) or mastodon (/api/v1/streaming?stream=user)");
        opt("mastodon-token", "query", "with --stream-api mastodon: the token in the query (access_token) or the Authorization header (header)");
        opt("rate", "100", "posts per second, spread round-robin over the authors");
        opt("warmup", "5", "seconds of posting before measuring (fanout, polling)");
        opt("duration", "20", "measured seconds of posting (fanout, polling)");
        opt("grace", "5", "seconds to wait after the last post for frames or polls still due");
        opt("connections", "3000", "idle streams to hold (connections scenario)");
        opt("connect-concurrency", "64", "WebSocket handshakes in flight at once");
        opt("hold", "5", "seconds to hold the idle streams before measuring memory");
        opt("generators", "auto", "processes sharing the connections (auto: one per 15,000 connections)");
        opt("local-addresses", "auto", "source addresses for streams, e.g. 127.0.0.1,127.0.0.2 (auto: 127.0.0.1, one per generator beyond 1)");
        opt("poll-interval", "1000", "ms between two polls of one reader (polling scenario)");
        opt("poll-rate", "1", "posts per second in the push-vs-poll pair (a quiet timeline: each reader gets rate*follows/authors tweets/s)");
        opt("poll-warmup", "2", "seconds of warm-up in each run of the push-vs-poll pair");
        opt("poll-duration", "20", "measured seconds of each run of the push-vs-poll pair");
        opt("ceiling-duration", "10", "seconds the bare Vert.x broadcast server is driven");
        opt("ceiling-backlog", "20000", "frames in flight at most in the ceiling scenario (the driver waits beyond)");
        opt("max-inflight-posts", "512", "POSTs in flight at most; posts due beyond are counted as not sent");
        opt("server-pid", "auto", "Flock's process id to read its resident memory from /proc (auto: the local process listening on the base port; none to skip)");
        opt("prefix", "auto", "username prefix, unique per run (auto: lt + time)");
        opt("results", "auto", "results folder (auto: load-tests/results, or ./results)");
    }

    private static void opt(String name, String dflt, String help) {
        OPTIONS.put(name, new String[]{dflt, help});
    }

    final Map<String, String> values = new LinkedHashMap<>();
    final String host;
    final int port;
    final String base;

    Config(String[] args) {
        OPTIONS.forEach((k, v) -> values.put(k, v[0]));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + a + " (try --help)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!OPTIONS.containsKey(name) && !name.equals("role") && !name.equals("tokens-file") && !name.equals("local-address")) {
                throw new IllegalArgumentException("Unknown option --" + name + " (try --help)");
            }
            values.put(name, value);
        }
        base = values.get("base").replaceAll("/+$", "");
        URI uri = URI.create(base);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--base must be an http:// URL (put TLS in front of Flock, not in the harness)");
        }
        host = uri.getHost();
        port = uri.getPort() > 0 ? uri.getPort() : 80;
    }

    String str(String name) {
        return values.get(name);
    }

    int integer(String name) {
        return Integer.parseInt(values.get(name));
    }

    boolean scenario(String name) {
        List<String> wanted = List.of(values.get("scenario").split(","));
        return wanted.contains("all") || wanted.contains(name);
    }

    static void usage() {
        System.out.println("java -jar flock-load-tests.jar [--name value]...\n");
        OPTIONS.forEach((k, v) -> System.out.printf("  --%-20s %s (default %s)%n", k, v[1], v[0]));
    }
}
