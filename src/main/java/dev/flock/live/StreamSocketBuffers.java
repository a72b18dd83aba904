package dev.flock.live;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A fixed kernel send buffer per connection. Left to auto-tuning, Linux lets each socket buffer up to
 * net.ipv4.tcp_wmem's maximum (4 MiB) for a client that stopped reading, so with thousands of streams the kernel, not
 * Flock's bounded queue, would hold the backlog. With a fixed buffer a stalled client fills its queue quickly and is
 * closed with 1013.
 */
@ApplicationScoped
public class StreamSocketBuffers implements HttpServerOptionsCustomizer {

    @Inject
    LiveConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        if (config.socketSendBuffer() > 0) {
            options.setSendBufferSize(config.socketSendBuffer());
        }
    }
}
