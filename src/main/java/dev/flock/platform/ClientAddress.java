package dev.flock.platform;

import io.vertx.core.http.HttpServerRequest;

/** The client's address, as seen through trusted proxies (quarkus.http.proxy.* rewrites the remote address). */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
