package dev.flock.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How a stopping instance says goodbye ({@link GracefulStop}). */
@ConfigMapping(prefix = "flock.shutdown")
public interface GracefulStopConfig {

    /** Readiness down, streams closed with 1001, requests still served: time for load balancers to look elsewhere. */
    @WithDefault("3s")
    Duration delay();

    /** After the delay, how long requests in flight may take to finish (a post waits at most for Kafka's delivery timeout). */
    @WithDefault("10s")
    Duration timeout();
}
