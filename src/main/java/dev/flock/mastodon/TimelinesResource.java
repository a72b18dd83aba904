package dev.flock.mastodon;

import dev.flock.timeline.HomeTimeline;
import dev.flock.tweet.TweetView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

@Path("/api/v1/timelines")
@Produces(MediaType.APPLICATION_JSON)
public class TimelinesResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 40;

    @Inject
    MastodonCaller caller;

    @Inject
    HomeTimeline timeline;

    @Inject
    MastodonEntities entities;

    /** The caller's home timeline from the same query as Flock's own /api/timeline/home. */
    @GET
    @Path("/home")
    @Authenticated
    public Uni<Response> home(@QueryParam("max_id") String rawMax, @QueryParam("since_id") String rawSince,
                              @QueryParam("min_id") String rawMin, @QueryParam("limit") String rawLimit, @Context UriInfo uri) {
        long reader = caller.account("read:statuses");
        int limit = MastodonPaging.limit(rawLimit, DEFAULT_LIMIT, MAX_LIMIT);
        Long max = MastodonPaging.pagingId("max_id", rawMax);
        Long since = MastodonPaging.pagingId("since_id", rawSince);
        Long min = MastodonPaging.pagingId("min_id", rawMin);
        Uni<Page> page = min != null
                ? timeline.rightAfter(reader, min, limit).map(ascending -> Page.rightAfter(ascending, max))
                : timeline.page(reader, max == null ? Long.MAX_VALUE : max, since == null ? -1 : since, limit + 1)
                        .map(snapshot -> Page.of(snapshot.tweets(), limit));
        return page.chain(p -> entities.statuses(p.tweets(), Urls.of(uri))
                .map(statuses -> p.respond(statuses, uri)));
    }

    /** Flock has no public, hashtag or list timelines (docs/mastodon-api.md): empty. */
    @GET
    @Path("/public")
    public List<Object> publicTimeline() {
        return List.of();
    }

    @GET
    @Path("/tag/{hashtag}")
    public List<Object> tag(@PathParam("hashtag") String hashtag) {
        return List.of();
    }

    @GET
    @Path("/list/{id}")
    @Authenticated
    public List<Object> list(@PathParam("id") String id) {
        throw MastodonError.notFound();
    }

    /** A page of tweets, newest first, and whether older ones exist beyond it. */
    record Page(List<TweetView> tweets, boolean older) {

        /** From a query that fetched limit + 1 rows, newest first: the extra row only says that older ones exist. */
        static Page of(List<TweetView> fetched, int limit) {
            return new Page(fetched.size() > limit ? fetched.subList(0, limit) : fetched, fetched.size() > limit);
        }

        /** From the tweets right after min_id, oldest first; older ones exist (at least min_id's own page). */
        static Page rightAfter(List<TweetView> ascending, Long max) {
            List<TweetView> newestFirst = new ArrayList<>(ascending.size());
            for (TweetView t : ascending) {
                if (max == null || t.idValue() < max) {
                    newestFirst.add(t);
                }
            }
            Collections.reverse(newestFirst);
            return new Page(newestFirst, true);
        }

        Response respond(Object body, UriInfo uri) {
            if (tweets.isEmpty()) {
                return Response.ok(body).build();
            }
            return MastodonPaging.withLinks(body, uri, older ? tweets.get(tweets.size() - 1).id() : null, tweets.get(0).id());
        }
    }
}
