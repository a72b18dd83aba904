package dev.flock.platform;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * The stop of an instance, after the features said goodbye (live streams get 1001 and readiness goes down on the same
 * event, earlier): requests keep being served for {@code flock.shutdown.delay}, then those still in flight get up to
 * {@code flock.shutdown.timeout} to finish, then Quarkus closes the HTTP server.
 *
 * <p>This replaces Quarkus's own graceful shutdown (quarkus.shutdown.timeout), which counts every request until its
 * response ends or its connection closes. A request upgraded to a WebSocket does neither in Vert.x's eyes (the
 * connection now belongs to the WebSocket), so once one stream had been opened every stop waited the whole timeout and
 * logged "Timed out waiting for graceful shutdown". Here a WebSocket upgrade is not counted: streams are ended by
 * {@code LiveStreams} with 1001, not waited for.
 */
@ApplicationScoped
public class GracefulStop {

    private static final Logger LOG = Logger.getLogger(GracefulStop.class);

    @Inject
    GracefulStopConfig config;

    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean stopping;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (!isUpgrade(ctx.request())) {
                synchronized (lock) {
                    inFlight++;
                }
                ctx.addEndHandler(ended -> finished());
                if (stopping && ctx.request().version() != HttpVersion.HTTP_2) {
                    // Clients with a kept-alive connection should open their next one to an instance that stays
                    // (HTTP/2 forbids the header).
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
            }
            ctx.next();
        });
    }

    private static boolean isUpgrade(HttpServerRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    private void finished() {
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
    }

    /** On the shutdown thread, before Quarkus closes the HTTP server. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownDelayInitiatedEvent event) throws InterruptedException {
        stopping = true;
        Thread.sleep(config.delay().toMillis());
        long deadline = System.nanoTime() + config.timeout().toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("Stopping with %d requests still in flight after %s", inFlight, config.timeout());
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }
}
