package dev.flock.tweet;

import dev.flock.platform.Page;
import dev.flock.platform.Paging;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/** A page of tweets from a query that fetched limit + 1 rows: the extra row only says that an older page exists. */
public final class TweetPage {

    private TweetPage() {
    }

    public static RestResponse<Page<TweetView>> respond(UriInfo uri, List<TweetView> fetched, int limit) {
        List<TweetView> shown = fetched.size() > limit ? fetched.subList(0, limit) : fetched;
        String next = fetched.size() > limit ? shown.get(shown.size() - 1).id() : null;
        return Paging.respond(uri, shown, next, "before");
    }
}
