package dev.flock.tweet;

import dev.flock.account.Accounts;
import dev.flock.platform.Page;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/accounts/{username}/tweets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tweets")
public class AuthorTweetsResource {

    @Inject
    Accounts accounts;

    @Inject
    TweetReads reads;

    @GET
    @Operation(operationId = "listAccountTweets", summary = "An account's tweets, newest first")
    @APIResponse(responseCode = "200", description = "A page of tweets", headers = @Header(ref = "Link"))
    @APIResponse(responseCode = "400", description = "`limit`, `before` or `after` is invalid")
    @APIResponse(responseCode = "404", description = "No account has that name")
    public Uni<RestResponse<Page<TweetView>>> list(@PathParam("username") String username,
                                                   @Parameter(ref = "limit") @QueryParam("limit") String rawLimit,
                                                   @Parameter(ref = "before") @QueryParam("before") String rawBefore,
                                                   @Parameter(ref = "after") @QueryParam("after") String rawAfter,
                                                   @Context UriInfo uri) {
        int limit = Paging.limit(rawLimit);
        long before = Paging.id("before", rawBefore).orElse(Long.MAX_VALUE);
        long after = Paging.id("after", rawAfter).orElse(-1);
        return Panache.withSession(() -> accounts.byUsername(username))
                .onItem().ifNull().failWith(() -> ProblemException.of(Response.Status.NOT_FOUND, "No account named " + username))
                .chain(author -> reads.byAuthor(author.id, before, after, limit + 1))
                .map(tweets -> TweetPage.respond(uri, tweets, limit));
    }
}
