package dev.flock.mastodon;

import dev.flock.follow.FollowGraph;
import dev.flock.tweet.TweetReads;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    private static final int STATUSES_LIMIT = 20;
    private static final int STATUSES_MAX = 40;
    private static final int ACCOUNTS_LIMIT = 40;
    private static final int ACCOUNTS_MAX = 80;

    @Inject
    MastodonCaller caller;

    @Inject
    MastodonEntities entities;

    @Inject
    FollowGraph graph;

    @Inject
    TweetReads reads;

    @GET
    @Path("/verify_credentials")
    @Authenticated
    public Uni<MastodonAccount> verifyCredentials(@Context UriInfo uri) {
        long me = caller.account("read:accounts", "profile");
        return entities.account(String.valueOf(me))
                .onFailure(MastodonError.class).transform(e -> new MastodonError(401, "The access token is invalid"))
                .map(a -> MastodonAccount.credential(a, Urls.of(uri)));
    }

    /** {@code acct} is "name", "@name" or "name@this-domain"; accounts elsewhere do not exist here. */
    @GET
    @Path("/lookup")
    public Uni<MastodonAccount> lookup(@QueryParam("acct") String acct, @Context UriInfo uri) {
        Urls urls = Urls.of(uri);
        String username = localUsername(acct, urls);
        if (username == null) {
            return Uni.createFrom().failure(MastodonError.notFound());
        }
        return entities.accountNamed(username).map(a -> MastodonAccount.of(a, urls));
    }

    /** Exact matches only (Flock has no account search): the account named by {@code q}, if any. */
    @GET
    @Path("/search")
    public Uni<List<MastodonAccount>> search(@QueryParam("q") String q, @Context UriInfo uri) {
        Urls urls = Urls.of(uri);
        String username = localUsername(q, urls);
        if (username == null) {
            return Uni.createFrom().item(List.of());
        }
        return entities.accountNamed(username).map(a -> List.of(MastodonAccount.of(a, urls)))
                .onFailure(MastodonError.class).recoverWithItem(List.of());
    }

    @GET
    @Path("/relationships")
    @Authenticated
    public Uni<List<MastodonRelationship>> relationships(@Context UriInfo uri) {
        long me = caller.account("read:follows");
        Params params = Params.of(uri.getQueryParameters(), null, null);
        Set<Long> ids = new LinkedHashSet<>();
        for (String raw : params.list("id")) {
            Long id = MastodonPaging.recordId(raw);
            if (id != null) {
                ids.add(id);
            }
        }
        // Unknown ids are left out, as Mastodon does.
        return entities.accounts(List.copyOf(ids), Urls.of(uri)).chain(found -> {
            List<Long> existing = found.stream().map(a -> Long.parseLong(a.id())).toList();
            return graph.relations(me, existing).map(r -> existing.stream()
                    .map(id -> MastodonRelationship.of(id, r.following().contains(id), r.followedBy().contains(id)))
                    .toList());
        });
    }

    @GET
    @Path("/familiar_followers")
    @Authenticated
    public List<Map<String, Object>> familiarFollowers(@Context UriInfo uri) {
        caller.account("read:follows");
        return Params.of(uri.getQueryParameters(), null, null).list("id").stream()
                .map(id -> Map.<String, Object>of("id", id, "accounts", List.of())).toList();
    }

    @GET
    @Path("/{id}")
    public Uni<MastodonAccount> account(@PathParam("id") String id, @Context UriInfo uri) {
        return entities.account(id).map(a -> MastodonAccount.of(a, Urls.of(uri)));
    }

    /** The account's statuses; pinned, media-only and tagged lists are empty (Flock has none of those). */
    @GET
    @Path("/{id}/statuses")
    public Uni<Response> statuses(@PathParam("id") String id, @QueryParam("max_id") String rawMax,
                                  @QueryParam("since_id") String rawSince, @QueryParam("min_id") String rawMin,
                                  @QueryParam("limit") String rawLimit, @QueryParam("pinned") String pinned,
                                  @QueryParam("only_media") String onlyMedia, @QueryParam("tagged") String tagged,
                                  @Context UriInfo uri) {
        int limit = MastodonPaging.limit(rawLimit, STATUSES_LIMIT, STATUSES_MAX);
        Long max = MastodonPaging.pagingId("max_id", rawMax);
        Long since = MastodonPaging.pagingId("since_id", rawSince);
        Long min = MastodonPaging.pagingId("min_id", rawMin);
        Params flags = Params.of(uri.getQueryParameters(), null, null);
        boolean nothing = flags.bool("pinned", false) || flags.bool("only_media", false) || (tagged != null && !tagged.isBlank());
        return entities.account(id).chain(author -> {
            if (nothing) {
                return Uni.createFrom().item(Response.ok(List.of()).build());
            }
            long authorId = Long.parseLong(author.id());
            Uni<TimelinesResource.Page> page = min != null
                    ? reads.byAuthorOldestFirst(authorId, min, limit).map(asc -> TimelinesResource.Page.rightAfter(asc, max))
                    : reads.byAuthor(authorId, max == null ? Long.MAX_VALUE : max, since == null ? -1 : since, limit + 1)
                            .map(fetched -> TimelinesResource.Page.of(fetched, limit));
            return page.chain(p -> entities.statuses(p.tweets(), Urls.of(uri)).map(statuses -> p.respond(statuses, uri)));
        });
    }

    @POST
    @Path("/{id}/follow")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    public Uni<MastodonRelationship> follow(@PathParam("id") String id) {
        long me = caller.account("write:follows");
        return entities.account(id).chain(target -> {
            long targetId = Long.parseLong(target.id());
            if (targetId == me) {
                throw MastodonError.notAllowed();
            }
            return graph.follow(me, targetId)
                    // Mastodon's own words for its follow limit, as a failed validation (422).
                    .onFailure(FollowGraph.TooManyFollowed.class).transform(e -> MastodonError.invalid(
                            "You cannot follow more than " + ((FollowGraph.TooManyFollowed) e).max() + " people"))
                    .chain(() -> relationship(me, targetId));
        });
    }

    @POST
    @Path("/{id}/unfollow")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    public Uni<MastodonRelationship> unfollow(@PathParam("id") String id) {
        long me = caller.account("write:follows");
        return entities.account(id).chain(target -> {
            long targetId = Long.parseLong(target.id());
            Uni<Boolean> change = targetId == me ? Uni.createFrom().item(false) : graph.unfollow(me, targetId);
            return change.chain(() -> relationship(me, targetId));
        });
    }

    @GET
    @Path("/{id}/followers")
    public Uni<Response> followers(@PathParam("id") String id, @QueryParam("max_id") String rawMax,
                                   @QueryParam("limit") String rawLimit, @Context UriInfo uri) {
        return edges(id, rawMax, rawLimit, uri, graph::followersPage);
    }

    @GET
    @Path("/{id}/following")
    public Uni<Response> following(@PathParam("id") String id, @QueryParam("max_id") String rawMax,
                                   @QueryParam("limit") String rawLimit, @Context UriInfo uri) {
        return edges(id, rawMax, rawLimit, uri, graph::followingPage);
    }

    @GET
    @Path("/{id}/featured_tags")
    public Uni<List<Object>> featuredTags(@PathParam("id") String id) {
        return entities.account(id).replaceWith(List.of());
    }

    @GET
    @Path("/{id}/lists")
    @Authenticated
    public Uni<List<Object>> lists(@PathParam("id") String id) {
        caller.account("read:lists");
        return entities.account(id).replaceWith(List.of());
    }

    private interface EdgeQuery {
        Uni<List<FollowGraph.Edge>> page(long account, Long beforeSeq, int limit);
    }

    /** Followers or followees, newest follow first; the paging ids are the follows' own positions, as in Mastodon. */
    private Uni<Response> edges(String id, String rawMax, String rawLimit, UriInfo uri, EdgeQuery query) {
        int limit = MastodonPaging.limit(rawLimit, ACCOUNTS_LIMIT, ACCOUNTS_MAX);
        Long max = MastodonPaging.pagingId("max_id", rawMax);
        return entities.account(id)
                .chain(owner -> query.page(Long.parseLong(owner.id()), max, limit + 1))
                .chain(edges -> {
                    List<FollowGraph.Edge> shown = edges.size() > limit ? edges.subList(0, limit) : edges;
                    String next = edges.size() > limit ? String.valueOf(shown.get(shown.size() - 1).seq()) : null;
                    List<Long> ids = new ArrayList<>(shown.size());
                    shown.forEach(e -> ids.add(e.accountId()));
                    return entities.accounts(ids, Urls.of(uri)).map(accounts -> MastodonPaging.withLinks(accounts, uri, next, null));
                });
    }

    private Uni<MastodonRelationship> relationship(long me, long other) {
        return graph.relations(me, List.of(other))
                .map(r -> MastodonRelationship.of(other, r.following().contains(other), r.followedBy().contains(other)));
    }

    /** The local username an acct or search query names, or null if it names an account elsewhere. */
    static String localUsername(String acct, Urls urls) {
        if (acct == null) {
            return null;
        }
        String name = acct.trim();
        if (name.startsWith("@")) {
            name = name.substring(1);
        }
        int at = name.indexOf('@');
        if (at >= 0) {
            String domain = name.substring(at + 1).toLowerCase(Locale.ROOT);
            name = name.substring(0, at);
            String ours = urls.domain().toLowerCase(Locale.ROOT);
            String oursWithoutPort = ours.contains(":") ? ours.substring(0, ours.lastIndexOf(':')) : ours;
            if (!domain.equals(ours) && !domain.equals(oursWithoutPort)) {
                return null;
            }
        }
        return name.isEmpty() ? null : name;
    }
}
