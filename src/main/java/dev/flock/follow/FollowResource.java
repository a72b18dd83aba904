package dev.flock.follow;

import dev.flock.account.Account;
import dev.flock.account.AccountView;
import dev.flock.account.Accounts;
import dev.flock.platform.CallerIdentity;
import dev.flock.platform.Page;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

@Path("/api/accounts/{username}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Follows", description = "The follow graph: follow, unfollow, followers and following")
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
    @Operation(operationId = "follow", summary = "Follow an account",
            description = "Idempotent. Takes effect on the caller's open live streams before the answer.")
    @APIResponse(responseCode = "204", description = "The caller follows the account (now or already)")
    @APIResponse(responseCode = "400", description = "The account is the caller's own")
    @APIResponse(responseCode = "404", description = "No account has that name")
    @APIResponse(responseCode = "422", description = "The caller already follows as many accounts as one may (`FLOCK_MAX_FOLLOWING`, "
            + "default 5,000); nothing changed. Following an account already followed is still a 204")
    @APIResponse(responseCode = "429", description = "Too many follows and unfollows by this account (`FLOCK_FOLLOWS_PER_HOUR`, default 400 an hour)")
    @APIResponse(responseCode = "503", description = "The change could not be published to every instance and was not made; retry")
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
    @Operation(operationId = "unfollow", summary = "Stop following an account",
            description = "Idempotent. Takes effect on the caller's open live streams before the answer.")
    @APIResponse(responseCode = "204", description = "The caller does not follow the account (now or already)")
    @APIResponse(responseCode = "404", description = "No account has that name")
    @APIResponse(responseCode = "429", description = "Too many follows and unfollows by this account (`FLOCK_FOLLOWS_PER_HOUR`, default 400 an hour)")
    @APIResponse(responseCode = "503", description = "The change could not be published to every instance and was not made; retry")
    public Uni<Response> unfollow(@PathParam("username") String username) {
        long me = caller.accountId();
        return existing(username)
                .chain(target -> target.id == me ? Uni.createFrom().item(false) : graph.unfollow(me, target.id))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/followers")
    @Operation(operationId = "listFollowers", summary = "Who follows the account, most recent follow first")
    @APIResponse(responseCode = "200", description = "A page of accounts", headers = @Header(ref = "Link"))
    @APIResponse(responseCode = "400", description = "`limit` or `cursor` is invalid")
    @APIResponse(responseCode = "404", description = "No account has that name")
    public Uni<RestResponse<Page<AccountView>>> followers(@PathParam("username") String username,
                                                          @Parameter(ref = "limit") @QueryParam("limit") String limit,
                                                          @Parameter(ref = "cursor") @QueryParam("cursor") String cursor,
                                                          @Context UriInfo uri) {
        return list(username, limit, cursor, uri, graph::followersPage);
    }

    @GET
    @Path("/following")
    @Operation(operationId = "listFollowing", summary = "Whom the account follows, most recent follow first")
    @APIResponse(responseCode = "200", description = "A page of accounts", headers = @Header(ref = "Link"))
    @APIResponse(responseCode = "400", description = "`limit` or `cursor` is invalid")
    @APIResponse(responseCode = "404", description = "No account has that name")
    public Uni<RestResponse<Page<AccountView>>> following(@PathParam("username") String username,
                                                          @Parameter(ref = "limit") @QueryParam("limit") String limit,
                                                          @Parameter(ref = "cursor") @QueryParam("cursor") String cursor,
                                                          @Context UriInfo uri) {
        return list(username, limit, cursor, uri, graph::followingPage);
    }

    private interface PageQuery {
        Uni<List<FollowGraph.Edge>> page(long account, Long beforeSeq, int limit);
    }

    private Uni<RestResponse<Page<AccountView>>> list(String username, String rawLimit, String rawCursor, UriInfo uri, PageQuery query) {
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
