package dev.flock.live;

import dev.flock.platform.ClientAddress;
import dev.flock.platform.LocalRateLimiter;
import dev.flock.platform.RateLimitsConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Optional;

/**
 * Stream opens per client address per second on this instance ({@code flock.live.upgrades-per-address}), whatever
 * protocol asks: Flock's /api/stream, Mastodon's WebSocket and server-sent events. Counted locally: an open costs
 * the instance it reaches, and the check must not wait for PostgreSQL.
 */
@ApplicationScoped
public class StreamOpensPerAddress {

    @Inject
    LiveConfig config;

    @Inject
    RateLimitsConfig limits;

    private LocalRateLimiter opens;

    @PostConstruct
    void init() {
        opens = new LocalRateLimiter(config.upgradesPerAddress(), limits.localKeys());
    }

    /** Empty when the request's address may open one more stream now; otherwise how long until it may. */
    public Optional<Duration> acquire(HttpServerRequest request) {
        return opens.acquire(ClientAddress.of(request));
    }
}
