package dev.flock.timeline;

import dev.flock.platform.CallerIdentity;
import dev.flock.platform.Paging;
import dev.flock.tweet.TweetPage;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

@Path("/api/timeline/home")
@Produces(MediaType.APPLICATION_JSON)
public class HomeTimelineResource {

    @Inject
    CallerIdentity caller;

    @Inject
    HomeTimeline timeline;

    @GET
    @Authenticated
    public Uni<Response> home(@QueryParam("limit") String rawLimit, @QueryParam("before") String rawBefore,
                              @QueryParam("after") String rawAfter, @Context UriInfo uri) {
        long reader = caller.accountId();
        int limit = Paging.limit(rawLimit);
        long before = Paging.id("before", rawBefore).orElse(Long.MAX_VALUE);
        long after = Paging.id("after", rawAfter).orElse(-1);
        return timeline.page(reader, before, after, limit + 1).map(snapshot -> {
            TweetPage.Cut cut = TweetPage.cut(snapshot.tweets(), limit);
            return Paging.respond(uri, new HomePage(cut.shown(), cut.next(), snapshot.cursor().encode()), cut.next(), "before");
        });
    }
}
