package dev.flock.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** flock_streams_open, flock_interest_index_entries, flock_frames_*_total, flock_streams_resets_total, flock_delivery_latency_seconds. */
// Created at start-up, so the gauges exist before the first stream opens.
@io.quarkus.runtime.Startup
@ApplicationScoped
class LiveMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    LiveLog live;

    private Counter sent;
    private Counter dropped;
    private Counter slowClosed;
    private Counter replayed;
    private Counter resets;
    private Timer latency;

    @PostConstruct
    void init() {
        Gauge.builder("flock.streams.open", live, LiveLog::streams)
                .description("Live streams open on this instance (registered with the fan-out)").register(registry);
        Gauge.builder("flock.interest.index.entries", live, LiveLog::indexEntries)
                .description("Author-to-stream entries in this instance's interest index").register(registry);
        resets = Counter.builder("flock.streams.resets").description("Streams told to reset (cursor not servable)").register(registry);
        sent = Counter.builder("flock.frames.sent").description("Frames written to live streams").register(registry);
        dropped = Counter.builder("flock.frames.dropped").description("Frames dropped because their stream fell too far behind").register(registry);
        slowClosed = Counter.builder("flock.streams.slow.closed").description("Streams closed with 1013 for falling behind").register(registry);
        replayed = Counter.builder("flock.frames.replayed").description("Frames sent while replaying missed tweets").register(registry);
        latency = Timer.builder("flock.delivery.latency")
                .description("From a tweet's acceptance (its id's time) to its frame being written to a stream")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    void replayed(int frames) {
        replayed.increment(frames);
    }

    void reset() {
        resets.increment();
    }

    void slowClosed(int framesDropped) {
        slowClosed.increment();
        dropped.increment(framesDropped);
    }

    void written(LiveTweet tweet) {
        sent.increment();
        if (tweet != null) {
            latency.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - tweet.acceptedAtMillis())));
        }
    }
}
