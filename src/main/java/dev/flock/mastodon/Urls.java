package dev.flock.mastodon;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;

/**
 * This instance's public URLs as the request reached it (through trusted proxies, X-Forwarded-Proto and -Host
 * count), since the Mastodon entities carry absolute URLs.
 */
public record Urls(String base) {

    public static Urls of(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return new Urls(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    /** The same for a request served outside JAX-RS (the streaming API): its absolute URI's scheme and authority. */
    public static Urls of(HttpServerRequest request) {
        URI uri = URI.create(request.absoluteURI());
        return new Urls(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    public String at(String path) {
        return base + path;
    }

    /** host[:port], as Mastodon's instance "domain". */
    public String domain() {
        return URI.create(base).getAuthority();
    }

    /** The WebSocket origin of the streaming API (ws:// or wss://). */
    public String streaming() {
        return base.startsWith("https:") ? "wss:" + base.substring("https:".length()) : "ws:" + base.substring("http:".length());
    }

    public String avatar() {
        return at("/avatars/original/missing.png");
    }

    public String header() {
        return at("/headers/original/missing.png");
    }
}
