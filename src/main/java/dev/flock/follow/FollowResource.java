package dev.flock.follow;

import dev.flock.account.Account;
import dev.flock.account.Accounts;
import dev.flock.platform.CallerIdentity;
import dev.flock.platform.Paging;
import dev.flock.platform.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

@Path("/api/accounts/{username}")
@Produces(MediaType.APPLICATION_JSON)
public class FollowResource {

    @Inject
    Accounts accounts;

    @Inject
    FollowGraph graph;

    @Inject
    CallerIdentity caller;

    @PUT
    @Path("/follow")
    @Authenticated
    public Uni<Response> follow(@PathParam("username") String username) {
        long me = caller.accountId();
        return existing(username).chain(target -> {
            if (target.id == me) {
                throw ProblemException.invalid("username", "is you; an account cannot follow itself");
            }
            return graph.follow(me, target.id);
        }).replaceWith(Response.noContent().build());
    }

    @DELETE
    @Path("/follow")
    @Authenticated
    public Uni<Response> unfollow(@PathParam("username") String username) {
        long me = caller.accountId();
        return existing(username)
                .chain(target -> target.id == me ? Uni.createFrom().item(false) : graph.unfollow(me, target.id))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/followers")
    public Uni<Response> followers(@PathParam("username") String username, @QueryParam("limit") String limit,
                                   @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return list(username, limit, cursor, uri, graph::followersPage);
    }

    @GET
    @Path("/following")
    public Uni<Response> following(@PathParam("username") String username, @QueryParam("limit") String limit,
                                   @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return list(username, limit, cursor, uri, graph::followingPage);
    }

    private interface PageQuery {
        Uni<List<FollowGraph.Edge>> page(long account, Long beforeSeq, int limit);
    }

    private Uni<Response> list(String username, String rawLimit, String rawCursor, UriInfo uri, PageQuery query) {
        int limit = Paging.limit(rawLimit);
        Long before = decodeCursor(rawCursor);
        return existing(username)
                .chain(owner -> query.page(owner.id, before, limit + 1))
                .chain(edges -> {
                    List<FollowGraph.Edge> shown = edges.size() > limit ? edges.subList(0, limit) : edges;
                    String next = edges.size() > limit ? encodeCursor(shown.get(shown.size() - 1).seq()) : null;
                    return Panache.withSession(() -> accounts.byIds(shown.stream().map(FollowGraph.Edge::accountId).toList()))
                            .map(byId -> shown.stream().map(e -> byId.get(e.accountId())).filter(a -> a != null)
                                    .map(Accounts::view).toList())
                            .map(items -> Paging.respond(uri, items, next, "cursor"));
                });
    }

    private Uni<Account> existing(String username) {
        return Panache.withSession(() -> accounts.byUsername(username))
                .onItem().ifNull().failWith(() -> ProblemException.of(Response.Status.NOT_FOUND, "No account named " + username));
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("f:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    static Long decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith("f:")) {
                return Long.parseLong(raw.substring(2));
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw ProblemException.invalid("cursor", "is not a cursor this list gave out");
    }
}
