package dev.flock.tweet;

import dev.flock.platform.ApiTime;
import dev.flock.platform.CallerIdentity;
import dev.flock.platform.Paging;
import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
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
    WorkerLease lease;

    @Inject
    TweetPublisher publisher;

    @Inject
    TweetReads reads;

    @Inject
    IdempotentPosts idempotent;

    @Inject
    TweetDeletes deletes;

    @Inject
    TweetsConfig config;

    private RateLimiter posts;

    @PostConstruct
    void init() {
        posts = new RateLimiter(config.postsPerAccount());
    }

    /**
     * Accepts a tweet: 201 only once Kafka holds it. The author comes from the token alone, so posting needs no
     * database read and keeps working while PostgreSQL is down (except for the Idempotency-Key look-up, which then
     * relies on what this instance remembers).
     */
    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> post(NewTweet body, @HeaderParam("Idempotency-Key") String rawKey, @Context UriInfo uri) {
        long author = caller.accountId();
        String text = TweetText.accept(body == null ? null : body.text());
        String key = TweetText.idempotencyKey(rawKey);
        TweetView.Author who = new TweetView.Author(String.valueOf(author), token.getName(), token.getClaim("name"));
        Uni<TweetView> accepted = key == null
                ? limitedPublish(author, who, text, null)
                : idempotent.once(author, key, () -> limitedPublish(author, who, text, key));
        return accepted.map(tweet -> Response.created(uri.getBaseUriBuilder().path("api/tweets/{id}").build(tweet.id())).entity(tweet).build());
    }

    private Uni<TweetView> limitedPublish(long author, TweetView.Author who, String text, String key) {
        posts.check(String.valueOf(author), "Tweets posted");
        return publisher.publishNew(author, lease.ids(), id -> TweetEvent.created(
                new TweetView(String.valueOf(id), who, text, ApiTime.format(SnowflakeIds.timeOf(id))), key)).map(TweetEvent::tweet);
    }

    @GET
    @Path("/{id}")
    public Uni<TweetView> get(@PathParam("id") String rawId) {
        return reads.byId(tweetId(rawId));
    }

    /** Marks the tweet deleted (gone from every read when the 204 is answered) and sends the deleted event to streams. */
    @DELETE
    @Path("/{id}")
    @Authenticated
    public Uni<Response> delete(@PathParam("id") String rawId) {
        long me = caller.accountId();
        long id = tweetId(rawId);
        TweetView.Author who = new TweetView.Author(String.valueOf(me), token.getName(), token.getClaim("name"));
        return deletes.delete(me, who, id).replaceWith(Response.noContent().build());
    }

    static long tweetId(String raw) {
        try {
            return Paging.id("id", raw).orElseThrow(TweetReads::notFound);
        } catch (ProblemException e) {
            // An id that cannot exist is simply not found.
            throw TweetReads.notFound();
        }
    }
}
