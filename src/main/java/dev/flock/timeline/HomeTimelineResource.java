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
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/timeline/home")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Timeline", description = "The home timeline: the caller's tweets and those of the accounts it follows")
public class HomeTimelineResource {

    @Inject
    CallerIdentity caller;

    @Inject
    HomeTimeline timeline;

    @GET
    @Authenticated
    @Operation(operationId = "getHomeTimeline", summary = "The caller's home timeline, newest first",
            description = "Every page carries `streamCursor`, the position of the log it was read at: open "
                    + "/api/stream?cursor=<streamCursor> to receive exactly what came after the page, with no gap and no duplicate.")
    @APIResponse(responseCode = "200", description = "A page of tweets", headers = @Header(ref = "Link"))
    @APIResponse(responseCode = "400", description = "`limit`, `before` or `after` is invalid")
    public Uni<RestResponse<HomePage>> home(@Parameter(ref = "limit") @QueryParam("limit") String rawLimit,
                                                   @Parameter(ref = "before") @QueryParam("before") String rawBefore,
                                                   @Parameter(ref = "after") @QueryParam("after") String rawAfter,
                                                   @Context UriInfo uri) {
        long reader = caller.accountId();
        int limit = Paging.limit(rawLimit);
        long before = Paging.id("before", rawBefore).orElse(Long.MAX_VALUE);
        long after = Paging.id("after", rawAfter).orElse(-1);
        return timeline.page(reader, before, after, limit + 1).map(snapshot -> {
            TweetPage.Cut cut = TweetPage.cut(snapshot.tweets(), limit);
            return Paging.respondWith(uri, new HomePage(cut.shown(), cut.next(), snapshot.cursor().encode()), cut.next(), "before");
        });
    }
}
