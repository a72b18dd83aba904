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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/tweets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tweets", description = "Posting, reading and deleting tweets")
public class TweetResource {

    private static final String TWEET_ID = "A tweet id; anything that is not one answers 404";

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
    @Operation(operationId = "postTweet", summary = "Post a tweet",
            description = "Answered only once Kafka holds the tweet: a 201 means it will be stored and delivered.")
    @RequestBody(required = true, content = @Content(examples = @ExampleObject(name = "hello", value = "{\"text\": \"hello, world\"}")))
    @APIResponse(responseCode = "201", description = "Accepted and durable (or, for a repeated Idempotency-Key, the first tweet again)",
            content = @Content(schema = @Schema(implementation = TweetView.class)),
            headers = @Header(name = "Location", required = true, description = "The tweet's URL", schema = @Schema(type = SchemaType.STRING, format = "uri")))
    @APIResponse(responseCode = "400", description = "The text or the Idempotency-Key is invalid; `errors` names it")
    @APIResponse(responseCode = "429", description = "Over the posting limit of this account (FLOCK_POSTS_PER_MINUTE, default 60 a minute)")
    @APIResponse(responseCode = "503", description = "The tweet could not be made durable in time and was not accepted, or an earlier "
            + "request with the same Idempotency-Key is still in flight; retry, with the same Idempotency-Key")
    public Uni<Response> post(NewTweet body,
                              @Parameter(description = "Retry-safe posting: the same key from the same author within 24 hours "
                                      + "answers the first tweet again, on any instance. 1-64 printable ASCII characters.",
                                      schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 64, pattern = "^[\\x20-\\x7E]+$"), example = "5f1c-retry-safe")
                              @HeaderParam("Idempotency-Key") String rawKey, @Context UriInfo uri) {
        return writes.post(author(), body == null ? null : body.text(), rawKey)
                .map(tweet -> Response.created(uri.getBaseUriBuilder().path("api/tweets/{id}").build(tweet.id())).entity(tweet).build());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getTweet", summary = "One tweet",
            description = "A tweet accepted moments ago is waited for briefly, so its author can read it at once.")
    @APIResponse(responseCode = "200", description = "The tweet")
    @APIResponse(responseCode = "404", description = "No such tweet, or it was deleted")
    public Uni<TweetView> get(@Parameter(description = TWEET_ID) @PathParam("id") String rawId) {
        return reads.byId(tweetId(rawId));
    }

    /** 204 once the tweet is gone from every read (see {@link TweetWrites#delete}). */
    @DELETE
    @Path("/{id}")
    @Authenticated
    @Operation(operationId = "deleteTweet", summary = "Delete one of the caller's tweets",
            description = "A 204 means the tweet is gone from every read; open streams get a delete frame.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "The tweet is another account's")
    @APIResponse(responseCode = "404", description = "No such tweet, or it was already deleted")
    @APIResponse(responseCode = "503", description = "A tweet accepted in the last 30 s is not stored yet; retry after `Retry-After`")
    public Uni<Response> delete(@Parameter(description = TWEET_ID) @PathParam("id") String rawId) {
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
