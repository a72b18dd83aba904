package dev.flock.platform;

import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.OptionalLong;

/**
 * Reads paging parameters and writes paged answers. Parameters arrive as strings because JAX-RS answers 404 to a
 * query parameter it cannot convert; the API promises 400.
 */
public final class Paging {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private Paging() {
    }

    public static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** An id given as a query parameter (before, after, since): a positive 64-bit number in decimal. */
    public static OptionalLong id(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long id = Long.parseLong(raw);
            if (id >= 0) {
                return OptionalLong.of(id);
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalid(name, "must be an id");
    }

    /** The page as JSON plus an RFC 8288 Link to the next page, which repeats the request with the cursor replaced. */
    public static <T> RestResponse<Page<T>> respond(UriInfo uri, List<T> items, String next, String cursorParam) {
        return respondWith(uri, new Page<>(items, next), next, cursorParam);
    }

    /** A page with a body of its own shape (it must hold {@code next} too), with the same Link. */
    public static <B> RestResponse<B> respondWith(UriInfo uri, B body, String next, String cursorParam) {
        RestResponse.ResponseBuilder<B> ok = RestResponse.ResponseBuilder.ok(body);
        if (next != null) {
            ok.header("Link", "<" + uri.getRequestUriBuilder().replaceQueryParam(cursorParam, next).build() + ">; rel=\"next\"");
        }
        return ok.build();
    }
}
