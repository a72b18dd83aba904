package dev.flock.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What one scenario measured: named values (in order, for the report's table), a latency histogram, a per-second series. */
final class Result {

    final String name;
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, String> notes = new LinkedHashMap<>();
    Histogram latency;
    String latencyLabel;
    long[] perSecond;
    String perSecondLabel;
    int measureFromSecond;

    Result(String name) {
        this.name = name;
    }

    Result put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    double num(String key) {
        Object v = values.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static String fmt(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "n/a";
            }
            double a = Math.abs(d);
            return a >= 1000 ? String.format("%,.0f", d) : a >= 10 ? String.format("%.1f", d) : String.format("%.2f", d);
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format("%,d", ((Number) v).longValue());
        }
        return String.valueOf(v);
    }

    /** p50/p90/p99/p99.9/max of a microsecond histogram, in milliseconds. */
    static Map<String, Double> percentilesMs(Histogram h) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (h == null || h.getTotalCount() == 0) {
            return m;
        }
        m.put("p50", h.getValueAtPercentile(50) / 1000.0);
        m.put("p90", h.getValueAtPercentile(90) / 1000.0);
        m.put("p99", h.getValueAtPercentile(99) / 1000.0);
        m.put("p99.9", h.getValueAtPercentile(99.9) / 1000.0);
        m.put("max", h.getMaxValue() / 1000.0);
        return m;
    }

    void putLatency(String prefix, Histogram h) {
        percentilesMs(h).forEach((k, v) -> put(prefix + " " + k + " (ms)", v));
        put(prefix + " samples", h == null ? 0L : h.getTotalCount());
    }

    static long[] series(java.util.concurrent.atomic.AtomicLongArray a, int seconds) {
        long[] s = new long[Math.max(0, seconds)];
        for (int i = 0; i < s.length && i < a.length(); i++) {
            s[i] = a.get(i);
        }
        return s;
    }
}
