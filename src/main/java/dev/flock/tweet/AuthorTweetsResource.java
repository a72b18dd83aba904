package dev.flock.tweet;

import dev.flock.account.Accounts;
import dev.flock.platform.Paging;
import dev.flock.platform.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
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

@Path("/api/accounts/{username}/tweets")
@Produces(MediaType.APPLICATION_JSON)
public class AuthorTweetsResource {

    @Inject
    Accounts accounts;

    @Inject
    TweetReads reads;

    @GET
    public Uni<Response> list(@PathParam("username") String username, @QueryParam("limit") String rawLimit,
                              @QueryParam("before") String rawBefore, @QueryParam("after") String rawAfter, @Context UriInfo uri) {
        int limit = Paging.limit(rawLimit);
        long before = Paging.id("before", rawBefore).orElse(Long.MAX_VALUE);
        long after = Paging.id("after", rawAfter).orElse(-1);
        return Panache.withSession(() -> accounts.byUsername(username))
                .onItem().ifNull().failWith(() -> ProblemException.of(Response.Status.NOT_FOUND, "No account named " + username))
                .chain(author -> reads.byAuthor(author.id, before, after, limit + 1))
                .map(tweets -> TweetPage.respond(uri, tweets, limit));
    }
}
