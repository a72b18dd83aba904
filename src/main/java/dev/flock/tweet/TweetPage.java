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

    /** The tweets to show and the cursor of the next page (null on the last page). */
    public record Cut(List<TweetView> shown, String next) {
    }

    public static Cut cut(List<TweetView> fetched, int limit) {
        List<TweetView> shown = fetched.size() > limit ? fetched.subList(0, limit) : fetched;
        return new Cut(shown, fetched.size() > limit ? shown.get(shown.size() - 1).id() : null);
    }

    public static RestResponse<Page<TweetView>> respond(UriInfo uri, List<TweetView> fetched, int limit) {
        Cut cut = cut(fetched, limit);
        return Paging.respond(uri, cut.shown(), cut.next(), "before");
    }
}
