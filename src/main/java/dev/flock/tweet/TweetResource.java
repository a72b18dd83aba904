package dev.flock.tweet;

import dev.flock.platform.CallerIdentity;
import dev.flock.platform.Paging;
import dev.flock.platform.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;


@Path("/api/tweets")
@Produces(MediaType.APPLICATION_JSON)
public class TweetResource {

    @Inject
    CallerIdentity caller;

    @Inject
    JsonWebToken token;

    @Inject
    TweetReads reads;

    @Inject
    TweetWrites writes;

    /** Accepts a tweet: 201 only once Kafka holds it (see {@link TweetWrites#post}). */
    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> post(NewTweet body, @HeaderParam("Idempotency-Key") String rawKey, @Context UriInfo uri) {
        return writes.post(author(), body == null ? null : body.text(), rawKey)
                .map(tweet -> Response.created(uri.getBaseUriBuilder().path("api/tweets/{id}").build(tweet.id())).entity(tweet).build());
    }

    @GET
    @Path("/{id}")
    public Uni<TweetView> get(@PathParam("id") String rawId) {
        return reads.byId(tweetId(rawId));
    }

    /** 204 once the tweet is gone from every read (see {@link TweetWrites#delete}). */
    @DELETE
    @Path("/{id}")
    @Authenticated
    public Uni<Response> delete(@PathParam("id") String rawId) {
        return writes.delete(author(), tweetId(rawId)).replaceWith(Response.noContent().build());
    }

    private TweetView.Author author() {
        return new TweetView.Author(String.valueOf(caller.accountId()), token.getName(), token.getClaim("name"));
    }

    static long tweetId(String raw) {
        try {
            return Paging.id("id", raw).orElseThrow(TweetResource::notFound);
        } catch (ProblemException e) {
            // An id that cannot exist is simply not found.
            throw notFound();
        }
    }

    static ProblemException notFound() {
        return TweetReads.notFound();
    }
}
