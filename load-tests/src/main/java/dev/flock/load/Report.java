package dev.flock.load;

import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** Writes report.md (parameters, machine, tables), chart.html (inline SVG) and the raw .hgrm percentile files. */
final class Report {

    static Map<String, String> machine(Client client) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    m.put("memory", String.format("%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("generator java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try {
            String metrics = client.metrics();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_info{")) {
                    m.put("Flock jvm (from /q/metrics)", line.substring(9, line.lastIndexOf('}')).replace("\"", ""));
                }
            }
            double max = Client.metric(metrics, "jvm_memory_max_bytes", "area=\"heap\"");
            if (!Double.isNaN(max)) {
                m.put("Flock max heap", String.format("%.0f MiB", max / 1048576));
            }
            double files = Client.metric(metrics, "process_files_max_files");
            if (!Double.isNaN(files)) {
                m.put("Flock max open files", String.format("%.0f", files));
            }
        } catch (RuntimeException ignored) {
            // metrics not exposed
        }
        return m;
    }

    static void write(Path dir, Config config, Map<String, String> machine, List<Result> results, Map<String, String> errors,
                      double seconds, String runId) throws IOException {
        Files.createDirectories(dir);
        Map<String, Result> by = new LinkedHashMap<>();
        results.forEach(r -> by.put(r.name, r));
        StringBuilder md = new StringBuilder();
        md.append("# Flock load test ").append(dir.getFileName()).append("\n\n");
        md.append("Run `").append(runId).append("` against `").append(config.base).append("`, scenarios `")
                .append(config.str("scenario")).append("`, ").append(String.format("%.0f", seconds)).append(" s in all (with setup). ")
                .append("Chart: [chart.html](chart.html) (latency distribution and throughput, self-contained).\n\n");
        md.append("Command: `java -jar load-tests/target/flock-load-tests.jar");
        config.values.forEach((k, v) -> {
            if (!v.equals(Config.OPTIONS.getOrDefault(k, new String[]{null})[0])) {
                md.append(" --").append(k).append(' ').append(v);
            }
        });
        md.append("`\n\n");

        md.append("## Headline\n\n| measure | value | target |\n| --- | --- | --- |\n");
        Result f = by.get("fanout");
        Result c = by.get("connections");
        Result p = by.get("polling");
        Result ce = by.get("ceiling");
        if (f != null) {
            row(md, "fan-out stream API", f.notes.getOrDefault("stream API", "flock"), "");
            row(md, "fan-out POST→frame p50 / p99 / max", ms(f, "POST→frame p50 (ms)") + " / " + ms(f, "POST→frame p99 (ms)") + " / "
                    + ms(f, "POST→frame max (ms)"), "p99 < 100 ms");
            row(md, "fan-out frames/s delivered (accepted posts/s)", Result.fmt(f.num("frames/s")) + " (" + Result.fmt(f.num("accepted posts/s")) + ")",
                    "5,000 frames/s");
            row(md, "fan-out lost / duplicated (of expected)", Result.fmt(f.values.get("lost")) + " / " + Result.fmt(f.values.get("duplicated"))
                    + " (of " + Result.fmt(f.values.get("frames expected")) + ")", "0 / 0");
        }
        if (c != null) {
            row(md, "idle streams held (failed)", Result.fmt(c.values.get("held at measurement (client side)")) + " (" + Result.fmt(c.values.get("failed")) + ")",
                    "10,000");
            row(md, "server heap / RSS per connection", Result.fmt(c.num("heap per connection (KiB)")) + " KiB / "
                    + Result.fmt(c.num("RSS per connection (KiB)")) + " KiB", "stated");
        }
        Result q = by.get("push-quiet");
        if (q != null && p != null) {
            row(md, "poll ÷ push at " + Result.fmt(p.num("offered posts/s")) + " posts/s: requests per delivered tweet",
                    Result.fmt(p.num("requests per delivered tweet")) + " vs 0 steady (" + Result.fmt(pushRequests(q)) + " with this run's handshakes) = ∞ ("
                            + String.format("%.0f×", p.num("requests per delivered tweet") / pushRequests(q)) + ")", "≥ 10×");
            row(md, "poll ÷ push at " + Result.fmt(p.num("offered posts/s")) + " posts/s: bytes per delivered tweet",
                    Result.fmt(p.num("bytes per delivered tweet")) + " vs " + Result.fmt(q.num("bytes per delivered frame")) + " steady = "
                            + String.format("%.1f×", p.num("bytes per delivered tweet") / q.num("bytes per delivered frame")) + " ("
                            + String.format("%.1f×", p.num("bytes per delivered tweet") / pushBytes(q)) + " with this run's handshakes)", "≥ 10×");
            row(md, "poll vs push latency p50 / p99", ms(p, "POST→seen p50 (ms)") + " / " + ms(p, "POST→seen p99 (ms)") + " vs "
                    + ms(q, "POST→frame p50 (ms)") + " / " + ms(q, "POST→frame p99 (ms)"), "poll worse");
        }
        if (f != null && ce != null) {
            row(md, "Flock frames/s ÷ bare Vert.x ceiling frames/s", Result.fmt(f.num("frames/s")) + " ÷ " + Result.fmt(ce.num("frames/s"))
                    + " = " + String.format("%.3f", f.num("frames/s") / ce.num("frames/s")), "stated");
        }
        md.append('\n');

        if (q != null && p != null) {
            md.append("## Push vs poll\n\nThe same readers, authors and follow graph, posting at the same quiet rate (")
                    .append(Result.fmt(p.num("offered posts/s"))).append(" posts/s, so each reader gets ")
                    .append(Result.fmt(p.num("tweets per reader per second"))).append(" tweets/s): first every reader holds a stream (scenario `push-quiet`), ")
                    .append("then every reader polls `GET /api/timeline/home?after=<newest>&limit=100` every ")
                    .append(Result.fmt(p.values.get("poll interval (ms)"))).append(" ms (scenario `polling`). ")
                    .append("Bytes are both directions at the HTTP/WebSocket level (request line, headers with the bearer token, body; ")
                    .append("frame headers and payload), without TCP/IP headers. A stream costs one handshake for its whole life ")
                    .append("(\"steady\"), shown also amortised over this run's short ").append(Result.fmt(q.values.get("measured seconds")))
                    .append(" s (\"with handshakes\"); the server's idle ping/pong adds about 8 bytes per stream every 25 s.\n\n");
            md.append("| per delivered tweet | push, steady | push, with this run's handshakes | poll | poll ÷ push (steady / with handshakes) |\n| --- | --- | --- | --- | --- |\n");
            md.append("| requests | 0 | ").append(Result.fmt(pushRequests(q))).append(" | ").append(Result.fmt(p.num("requests per delivered tweet")))
                    .append(" | ∞ / ").append(String.format("%.1f×", p.num("requests per delivered tweet") / pushRequests(q))).append(" |\n");
            md.append("| bytes | ").append(Result.fmt(q.num("bytes per delivered frame"))).append(" | ").append(Result.fmt(pushBytes(q))).append(" | ")
                    .append(Result.fmt(p.num("bytes per delivered tweet"))).append(" | ")
                    .append(String.format("%.1f× / %.1f×", p.num("bytes per delivered tweet") / q.num("bytes per delivered frame"),
                            p.num("bytes per delivered tweet") / pushBytes(q))).append(" |\n");
            cmp(md, "server CPU ms (posting included)", q.num("server CPU ms per delivered tweet"), p.num("server CPU ms per delivered tweet"));
            cmp(md, "latency p50 (ms)", q.num("POST→frame p50 (ms)"), p.num("POST→seen p50 (ms)"));
            cmp(md, "latency p99 (ms)", q.num("POST→frame p99 (ms)"), p.num("POST→seen p99 (ms)"));
            cmp(md, "latency max (ms)", q.num("POST→frame max (ms)"), p.num("POST→seen max (ms)"));
            md.append("| reader requests/s | 0 | | ").append(Result.fmt(p.num("requests/s"))).append(" | |\n");
            md.append("| tweets delivered/s | ").append(Result.fmt(q.num("frames/s"))).append(" | | ").append(Result.fmt(p.num("delivered tweets/s")))
                    .append(" | |\n");
            md.append("| lost / duplicated | ").append(Result.fmt(q.values.get("lost"))).append(" / ").append(Result.fmt(q.values.get("duplicated")))
                    .append(" | | ").append(Result.fmt(p.values.get("lost"))).append(" / ").append(Result.fmt(p.values.get("duplicated"))).append(" | |\n\n");
        }

        for (Result r : results) {
            md.append("## ").append(r.name).append("\n\n| measure | value |\n| --- | --- |\n");
            r.values.forEach((k, v) -> {
                if (!k.startsWith("_")) {
                    row(md, k, Result.fmt(v), null);
                }
            });
            r.notes.forEach((k, v) -> row(md, k, v, null));
            md.append('\n');
            if (r.latency != null && r.latency.getTotalCount() > 0) {
                String file = r.name + "-latency.hgrm";
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                r.latency.outputPercentileDistribution(new PrintStream(out, true, StandardCharsets.UTF_8), 5, 1000.0);
                Files.writeString(dir.resolve(file), "# " + r.latencyLabel + " (milliseconds)\n" + out.toString(StandardCharsets.UTF_8));
                md.append("Full distribution: [").append(file).append("](").append(file).append(").\n\n");
            }
        }
        if (!errors.isEmpty()) {
            md.append("## Errors\n\n");
            errors.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v.replace('\n', ' ')).append('\n'));
            md.append('\n');
        }
        md.append("## Parameters\n\n| option | value |\n| --- | --- |\n");
        config.values.forEach((k, v) -> {
            if (Config.OPTIONS.containsKey(k)) {
                row(md, "--" + k, v, null);
            }
        });
        md.append("\n## Machine\n\nFlock, PostgreSQL, Kafka and this generator share the machine.\n\n| | |\n| --- | --- |\n");
        machine.forEach((k, v) -> row(md, k, v, null));
        Files.writeString(dir.resolve("report.md"), md.toString());
        Files.writeString(dir.resolve("chart.html"), chart(dir.getFileName().toString(), results));
    }

    private static double pushRequests(Result f) {
        return f.num("streams") / f.num("frames delivered");
    }

    private static double pushBytes(Result f) {
        return (f.num("bytes per delivered frame") * f.num("frames delivered") + f.num("_handshake bytes")) / f.num("frames delivered");
    }

    private static String ratio(double poll, double push) {
        return Result.fmt(poll) + " vs " + Result.fmt(push) + " = " + String.format("%.0f×", poll / push);
    }

    private static void cmp(StringBuilder md, String name, double push, double poll) {
        md.append("| ").append(name).append(" | ").append(Result.fmt(push)).append(" | | ").append(Result.fmt(poll)).append(" | ")
                .append(Double.isNaN(poll / push) || Double.isInfinite(poll / push) ? "" : String.format("%.1f×", poll / push)).append(" |\n");
    }

    private static String ms(Result r, String key) {
        return Result.fmt(r.num(key)) + " ms";
    }

    private static void row(StringBuilder md, String k, String v, String target) {
        md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|"));
        if (target != null) {
            md.append(" | ").append(target);
        }
        md.append(" |\n");
    }

    // ---- chart.html: two inline SVG charts, no scripts, no external files ----

    private record Series(String label, String color, List<double[]> points) {
    }

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

    static String chart(String title, List<Result> results) {
        List<Series> lat = new ArrayList<>();
        List<Series> thr = new ArrayList<>();
        int ci = 0;
        for (Result r : results) {
            String color = COLORS[ci++ % COLORS.length];
            if (r.latency != null && r.latency.getTotalCount() > 0) {
                List<double[]> pts = new ArrayList<>();
                for (HistogramIterationValue v : r.latency.percentiles(5)) {
                    double pct = Math.min(v.getPercentileLevelIteratedTo(), 99.999);
                    pts.add(new double[]{Math.log10(100.0 / (100.0 - pct)), Math.max(0.01, v.getValueIteratedTo() / 1000.0)});
                }
                lat.add(new Series(r.latencyLabel, color, pts));
            }
            if (r.perSecond != null && r.perSecond.length > 0) {
                List<double[]> pts = new ArrayList<>();
                for (int s = 0; s < r.perSecond.length; s++) {
                    if (r.perSecond[s] == 0) {
                        continue; // log scale; the seconds after the last delivery
                    }
                    pts.add(new double[]{s - r.measureFromSecond + 0.5, r.perSecond[s]});
                }
                thr.add(new Series(r.perSecondLabel, color, pts));
            }
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Flock load test ").append(title)
                .append("</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px}"
                        + "svg{background:#fff;border:1px solid #ddd}</style></head><body>\n");
        h.append("<h1>Flock load test ").append(title).append("</h1>\n");
        h.append("<h2>Latency distribution (log scale): how long until a reader sees a post</h2>\n");
        String[] xt = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        h.append(svg(lat, "percentile", "milliseconds", true, xt, 0, 5));
        h.append("<h2>Deliveries per second (log scale; 0 = end of warm-up)</h2>\n");
        double xmin = 0;
        double xmax = 1;
        for (Series s : thr) {
            for (double[] pt : s.points()) {
                xmin = Math.min(xmin, pt[0]);
                xmax = Math.max(xmax, pt[0]);
            }
        }
        h.append(svg(thr, "seconds", "frames or polled tweets per second", true, null, Math.floor(xmin), Math.ceil(xmax)));
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String svg(List<Series> series, String xLabel, String yLabel, boolean logY, String[] xTicks, double xmin, double xmax) {
        int w = 900;
        int hgt = 420;
        int left = 80;
        int right = 20;
        int top = 20;
        int bottom = 60;
        double ymin = Double.MAX_VALUE;
        double ymax = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                ymin = Math.min(ymin, p[1]);
                ymax = Math.max(ymax, p[1]);
            }
        }
        if (ymax <= 0) {
            ymax = 1;
        }
        double lo;
        double hi;
        if (logY) {
            lo = Math.floor(Math.log10(Math.max(0.01, ymin)));
            hi = Math.ceil(Math.log10(ymax));
            if (hi <= lo) {
                hi = lo + 1;
            }
        } else {
            lo = 0;
            hi = niceCeil(ymax * 1.05);
        }
        double flo = lo;
        double fhi = hi;
        java.util.function.DoubleUnaryOperator X = x -> left + (x - xmin) / (xmax - xmin) * (w - left - right);
        java.util.function.DoubleUnaryOperator Y = y -> {
            double v = logY ? Math.log10(Math.max(y, 0.01)) : y;
            return top + (1 - (v - flo) / (fhi - flo)) * (hgt - top - bottom);
        };
        StringBuilder s = new StringBuilder();
        s.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-size=\"12\">%n",
                w, hgt + 20 * series.size(), w, hgt + 20 * series.size()));
        // y grid
        if (logY) {
            for (double e = lo; e <= hi; e++) {
                double y = Y.applyAsDouble(Math.pow(10, e));
                s.append(grid(left, w - right, y)).append(label(left - 6, y + 4, fmtTick(Math.pow(10, e)), "end"));
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                double v = hi * i / 5;
                double y = Y.applyAsDouble(v);
                s.append(grid(left, w - right, y)).append(label(left - 6, y + 4, fmtTick(v), "end"));
            }
        }
        // x ticks
        if (xTicks != null) {
            for (int i = 0; i < xTicks.length; i++) {
                double x = X.applyAsDouble(i);
                s.append(String.format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, top, x, hgt - bottom))
                        .append(label(x, hgt - bottom + 16, xTicks[i], "middle"));
            }
        } else {
            double step = niceCeil((xmax - xmin) / 10);
            for (double x = Math.ceil(xmin / step) * step; x <= xmax; x += step) {
                s.append(label(X.applyAsDouble(x), hgt - bottom + 16, fmtTick(x), "middle"));
            }
        }
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", left, hgt - bottom, w - right, hgt - bottom));
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", left, top, left, hgt - bottom));
        s.append(label((left + w - right) / 2.0, hgt - bottom + 36, xLabel, "middle"));
        s.append(String.format("<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">%s</text>",
                (top + hgt - bottom) / 2, (top + hgt - bottom) / 2, esc(yLabel)));
        int li = 0;
        for (Series ser : series) {
            StringBuilder path = new StringBuilder();
            for (double[] p : ser.points()) {
                path.append(path.length() == 0 ? "M" : " L").append(String.format("%.1f,%.1f", X.applyAsDouble(p[0]), Y.applyAsDouble(p[1])));
            }
            s.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, ser.color()));
            double ly = hgt + li * 20 - 4;
            s.append(String.format("<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%s\"/>", left, ly - 4, ser.color()))
                    .append(label(left + 20, ly, ser.label(), "start"));
            li++;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String grid(int x1, int x2, double y) {
        return String.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", x1, y, x2, y);
    }

    private static String label(double x, double y, String text, String anchor) {
        return String.format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, esc(text));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fmtTick(double v) {
        if (v >= 1000) {
            return String.format("%,.0f", v);
        }
        if (v >= 1) {
            return String.format("%.0f", v);
        }
        return String.format("%.2g", v);
    }

    private static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }
}
