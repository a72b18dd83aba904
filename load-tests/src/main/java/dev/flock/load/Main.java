package dev.flock.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flock's load-test harness: fan-out, idle connections, polling baseline and the bare-stack ceiling, then a report. */
public final class Main {

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = new Config(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if ("conn-worker".equals(config.values.get("role"))) {
            Connections.worker(config);
            return;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String runId = Long.toString(System.currentTimeMillis() / 1000 % 60_466_176L, 36);
        String prefix = config.str("prefix").equals("auto") ? "lt" + runId : config.str("prefix");
        String marker = "flock load test " + runId;
        Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(10_000));
        Client client = new Client(vertx, config.host, config.port, 128);
        System.out.printf("Flock load test %s against %s (scenarios: %s)%n", runId, config.base, config.str("scenario"));
        try {
            Client.Resp ready = Client.await(client.call(HttpMethod.GET, "/q/health/ready", null, null, null), 20);
            if (ready.status() != 200) {
                System.out.println("warning: " + config.base + "/q/health/ready answered " + ready.status());
            }
        } catch (RuntimeException e) {
            System.err.println("Flock is not reachable at " + config.base + ": " + e.getMessage());
            System.exit(1);
        }
        Map<String, String> machine = Report.machine(client);
        List<Result> results = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        long began = System.nanoTime();
        Population pop = new Population(client, config, prefix);
        Result fanout = null;
        if (config.scenario("fanout")) {
            fanout = attempt("fanout", errors, () -> Fanout.run(client, new Streams(vertx, config.host, config.port,
                    Connections.localAddresses(config, 1, 0), pop.readers.size()), config, pop, marker));
            add(results, fanout);
        }
        if (config.scenario("connections")) {
            add(results, attempt("connections", errors, () -> Connections.run(client, config, pop)));
        }
        if (config.scenario("polling")) {
            // The pair: push and poll at the same quiet rate, one after the other, same readers and authors.
            add(results, attempt("push-quiet", errors, () -> Fanout.run(client, new Streams(vertx, config.host, config.port,
                    Connections.localAddresses(config, 1, 0), pop.readers.size()), config, pop, marker, "push-quiet",
                    Double.parseDouble(config.str("poll-rate")), config.integer("poll-warmup"), config.integer("poll-duration"))));
            add(results, attempt("polling", errors, () -> Polling.run(client, config, pop, marker)));
        }
        if (config.scenario("ceiling")) {
            add(results, attempt("ceiling", errors, () -> Ceiling.run(vertx, config, pop, marker)));
        }
        Path dir = resultsRoot(config).resolve(stamp);
        Report.write(dir, config, machine, results, errors, (System.nanoTime() - began) / 1e9, runId);
        System.out.println("Report: " + dir.resolve("report.md"));
        System.out.println("Chart:  " + dir.resolve("chart.html"));
        vertx.close();
        System.exit(errors.isEmpty() ? 0 : 1);
    }

    private static void add(List<Result> results, Result r) {
        if (r != null) {
            results.add(r);
        }
    }

    interface Scenario {
        Result run() throws Exception;
    }

    private static Result attempt(String name, Map<String, String> errors, Scenario s) {
        try {
            return s.run();
        } catch (Exception | Error e) {
            System.out.println(name + ": FAILED " + e);
            e.printStackTrace(System.out);
            errors.put(name, String.valueOf(e));
            return null;
        }
    }

    private static Path resultsRoot(Config config) {
        String v = config.str("results");
        if (!v.equals("auto")) {
            return Path.of(v);
        }
        if (Files.isDirectory(Path.of("load-tests"))) {
            return Path.of("load-tests", "results");
        }
        return Path.of("results");
    }
}
