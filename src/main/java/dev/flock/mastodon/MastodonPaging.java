package dev.flock.mastodon;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Mastodon's paging: {@code limit} is clamped to the endpoint's maximum (not refused), ids are {@code max_id} (older
 * than), {@code since_id} (newer than, newest first) and {@code min_id} (the page right after, newest first), and the
 * Link header names the next (older) and previous (newer) pages.
 */
public final class MastodonPaging {

    private MastodonPaging() {
    }

    public static int limit(String raw, int otherwise, int max) {
        if (raw == null || raw.isBlank()) {
            return otherwise;
        }
        try {
            return (int) Math.max(1, Math.min(max, Math.abs(Long.parseLong(raw.trim()))));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** A paging id: a non-negative decimal, or absent. */
    public static Long pagingId(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new MastodonError(400, name + " must be an id");
    }

    /** A record's id from a path: null when it cannot be one (so the record is simply not found). */
    public static Long recordId(String raw) {
        try {
            long id = Long.parseLong(raw);
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The answer with a Link header: next pages to older than {@code nextMaxId}, prev to newer than {@code prevMinId}. */
    public static Response withLinks(Object body, UriInfo uri, String nextMaxId, String prevMinId) {
        Response.ResponseBuilder ok = Response.ok(body);
        List<String> links = new ArrayList<>(2);
        if (nextMaxId != null) {
            links.add("<" + page(uri).queryParam("max_id", nextMaxId).build() + ">; rel=\"next\"");
        }
        if (prevMinId != null) {
            links.add("<" + page(uri).queryParam("min_id", prevMinId).build() + ">; rel=\"prev\"");
        }
        if (!links.isEmpty()) {
            ok.header("Link", String.join(", ", links));
        }
        return ok.build();
    }

    private static UriBuilder page(UriInfo uri) {
        return uri.getRequestUriBuilder().replaceQueryParam("max_id").replaceQueryParam("since_id").replaceQueryParam("min_id");
    }
}
