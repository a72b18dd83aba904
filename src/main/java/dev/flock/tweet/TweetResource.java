package dev.flock.tweet;

import dev.flock.platform.ApiTime;
import dev.flock.platform.CallerIdentity;
import dev.flock.platform.Paging;
import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import io.quarkus.hibernate.reactive.panache.Panache;
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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

@Path("/api/tweets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tweets", description = "Posting, reading and deleting tweets")
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
    TweetsConfig config;

    private static final String TWEET_ID = "A tweet id; anything that is not one answers 404";

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
    @Operation(operationId = "postTweet", summary = "Post a tweet",
            description = "Answered only once Kafka holds the tweet: a 201 means it will be stored and delivered.")
    @RequestBody(required = true, content = @Content(examples = @ExampleObject(name = "hello", value = "{\"text\": \"hello, world\"}")))
    @APIResponse(responseCode = "201", description = "Accepted and durable (or, for a repeated Idempotency-Key, the first tweet again)",
            content = @Content(schema = @Schema(implementation = TweetView.class)),
            headers = @Header(name = "Location", required = true, description = "The tweet's URL", schema = @Schema(type = SchemaType.STRING, format = "uri")))
    @APIResponse(responseCode = "400", description = "The text or the Idempotency-Key is invalid; `errors` names it")
    @APIResponse(responseCode = "429", description = "Over the posting limit of this account (FLOCK_POSTS_PER_MINUTE, default 60 a minute)")
    @APIResponse(responseCode = "503", description = "The tweet could not be made durable in time and was not accepted; retry, "
            + "with the same Idempotency-Key")
    public Uni<Response> post(NewTweet body,
                              @Parameter(description = "Retry-safe posting: the same key from the same author within 24 hours "
                                      + "answers the first tweet again. 1-64 printable ASCII characters.",
                                      schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 64, pattern = "^[\\x20-\\x7E]+$"), example = "5f1c-retry-safe")
                              @HeaderParam("Idempotency-Key") String rawKey, @Context UriInfo uri) {
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
    @Operation(operationId = "getTweet", summary = "One tweet")
    @APIResponse(responseCode = "200", description = "The tweet")
    @APIResponse(responseCode = "404", description = "No such tweet, or it was deleted")
    public Uni<TweetView> get(@Parameter(description = TWEET_ID) @PathParam("id") String rawId) {
        long id = tweetId(rawId);
        return reads.byId(id).onItem().ifNull().failWith(() -> notFound());
    }

    /**
     * Marks the tweet deleted and tells every instance, in one transaction: 204 means it is gone from every read. A
     * tweet accepted moments ago may not be stored yet (the store consumer's lag, usually milliseconds); its id tells
     * its age, so a young unknown id is looked up again briefly before the answer is 404.
     */
    @DELETE
    @Path("/{id}")
    @Authenticated
    @Operation(operationId = "deleteTweet", summary = "Delete one of the caller's tweets",
            description = "A 204 means the tweet is gone from every read; open streams get a delete frame.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "The tweet is another account's")
    @APIResponse(responseCode = "404", description = "No such tweet, or it was already deleted")
    @APIResponse(responseCode = "503", description = "The delete could not be published and was not made; retry")
    public Uni<Response> delete(@Parameter(description = TWEET_ID) @PathParam("id") String rawId) {
        long me = caller.accountId();
        long id = tweetId(rawId);
        boolean young = SnowflakeIds.timeOf(id).isAfter(Instant.now().minus(STORE_LAG_ALLOWANCE));
        Uni<Void> attempt = Uni.createFrom().deferred(() -> deleteStored(me, id));
        return (young
                ? attempt.onFailure(NotStoredYet.class).retry().withBackOff(Duration.ofMillis(25), Duration.ofMillis(250)).expireIn(3000)
                : attempt)
                .onFailure(NotStoredYet.class).transform(e -> notFound())
                .replaceWith(Response.noContent().build());
    }

    private static final Duration STORE_LAG_ALLOWANCE = Duration.ofSeconds(30);

    private static final class NotStoredYet extends RuntimeException {
        NotStoredYet() {
            super(null, null, false, false);
        }
    }

    private Uni<Void> deleteStored(long me, long id) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT author_id, deleted_at IS NOT NULL FROM tweets WHERE id = ?1 FOR UPDATE", Object[].class)
                .setParameter(1, id).getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        throw new NotStoredYet();
                    }
                    if (Boolean.TRUE.equals(rows.get(0)[1])) {
                        throw notFound();
                    }
                    if (((Number) rows.get(0)[0]).longValue() != me) {
                        throw ProblemException.of(Response.Status.FORBIDDEN, "Only the author may delete a tweet");
                    }
                    return session.createNativeQuery("UPDATE tweets SET deleted_at = now(), text = '' WHERE id = ?1")
                            .setParameter(1, id).executeUpdate()
                            .chain(() -> session.createNativeQuery("UPDATE accounts SET tweets_count = tweets_count - 1 WHERE id = ?1 AND tweets_count > 0")
                                    .setParameter(1, me).executeUpdate())
                            .chain(() -> publisher.publish(TweetEvent.deleted(id,
                                    new TweetView.Author(String.valueOf(me), token.getName(), token.getClaim("name")))))
                            .replaceWithVoid();
                })));
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
        return ProblemException.of(Response.Status.NOT_FOUND, "No such tweet");
    }

    static Instant windowStart(TweetsConfig config) {
        return Instant.now().minus(config.idempotencyWindow()).truncatedTo(ChronoUnit.MILLIS);
    }
}
