package dev.flock.mastodon;

import dev.flock.tweet.TweetReads;
import dev.flock.tweet.TweetText;
import dev.flock.tweet.TweetWrites;
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
import jakarta.ws.rs.core.UriInfo;

import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Path("/api/v1/statuses")
@Produces(MediaType.APPLICATION_JSON)
public class StatusesResource {

    private static final Set<String> PUBLIC = Set.of("public", "unlisted");

    @Inject
    MastodonCaller caller;

    @Inject
    MastodonEntities entities;

    @Inject
    TweetWrites writes;

    @Inject
    TweetReads reads;

    /**
     * Posts through the same path as POST /api/tweets (Kafka, then storage and live fan-out), with the same limits and
     * Idempotency-Key handling. What Flock cannot represent is refused rather than silently dropped: media, polls,
     * content warnings, scheduling, and non-public visibility (a private post must never be published).
     */
    @POST
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    public Uni<MastodonStatus> post(String body, @HeaderParam("Content-Type") String contentType,
                                    @HeaderParam("Idempotency-Key") String key, @Context UriInfo uri) {
        var author = caller.author("write:statuses");
        Params params = Params.of(uri.getQueryParameters(), contentType, body);
        if (!params.list("media_ids").isEmpty()) {
            throw MastodonError.invalid("Flock does not support media attachments");
        }
        if (!params.list("poll[options]").isEmpty()) {
            throw MastodonError.invalid("Flock does not support polls");
        }
        String spoiler = params.text("spoiler_text");
        if (spoiler != null && !spoiler.isBlank()) {
            throw MastodonError.invalid("Flock does not support content warnings (spoiler_text)");
        }
        if (params.text("scheduled_at") != null && !params.text("scheduled_at").isBlank()) {
            throw MastodonError.invalid("Flock does not support scheduled statuses");
        }
        String visibility = params.text("visibility");
        if (visibility != null && !visibility.isBlank() && !PUBLIC.contains(visibility)) {
            throw MastodonError.invalid("Flock posts are public; visibility " + visibility + " is not supported");
        }
        String text = params.text("status");
        String normalised = text == null ? "" : Normalizer.normalize(text, Normalizer.Form.NFC).strip();
        if (normalised.isEmpty()) {
            throw MastodonError.invalid("Text can't be blank");
        }
        if (normalised.codePointCount(0, normalised.length()) > TweetText.MAX) {
            throw MastodonError.invalid("Text character limit of " + TweetText.MAX + " exceeded");
        }
        Urls urls = Urls.of(uri);
        return writes.post(author, text, key).chain(tweet -> entities.status(tweet, urls));
    }

    @GET
    @Path("/{id}")
    public Uni<MastodonStatus> get(@PathParam("id") String id, @Context UriInfo uri) {
        return existing(id).chain(tweet -> entities.status(tweet, Urls.of(uri)));
    }

    /** Deletes through the same path as DELETE /api/tweets/{id}; answers the status with its source {@code text}. */
    @DELETE
    @Path("/{id}")
    @Authenticated
    public Uni<MastodonStatus> delete(@PathParam("id") String id, @Context UriInfo uri) {
        var author = caller.author("write:statuses");
        Long tweetId = MastodonPaging.recordId(id);
        if (tweetId == null) {
            throw MastodonError.notFound();
        }
        return writes.delete(author, tweetId).chain(tweet -> entities.deleted(tweet, Urls.of(uri)));
    }

    /** Flock has no replies: the context is empty, once the status exists. */
    @GET
    @Path("/{id}/context")
    public Uni<Map<String, List<Object>>> context(@PathParam("id") String id) {
        return existing(id).replaceWith(Map.of("ancestors", List.of(), "descendants", List.of()));
    }

    @GET
    @Path("/{id}/source")
    @Authenticated
    public Uni<Map<String, String>> source(@PathParam("id") String id) {
        caller.account("read:statuses");
        return existing(id).map(tweet -> Map.of("id", tweet.id(), "text", tweet.text(), "spoiler_text", ""));
    }

    @GET
    @Path("/{id}/favourited_by")
    public Uni<List<Object>> favouritedBy(@PathParam("id") String id) {
        return existing(id).replaceWith(List.of());
    }

    @GET
    @Path("/{id}/reblogged_by")
    public Uni<List<Object>> rebloggedBy(@PathParam("id") String id) {
        return existing(id).replaceWith(List.of());
    }

    private Uni<dev.flock.tweet.TweetView> existing(String rawId) {
        Long id = MastodonPaging.recordId(rawId);
        if (id == null) {
            return Uni.createFrom().failure(MastodonError.notFound());
        }
        return reads.byId(id).onItem().ifNull().failWith(MastodonError::notFound);
    }
}
