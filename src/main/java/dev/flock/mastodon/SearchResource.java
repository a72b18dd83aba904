package dev.flock.mastodon;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;

/**
 * Search, reduced to what Flock can answer: an account whose username is exactly the query ("name", "@name" or
 * "name@this-domain"). Statuses and hashtags are never found.
 */
@Path("/api/v2/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    @Inject
    MastodonEntities entities;

    @GET
    public Uni<Map<String, Object>> search(@QueryParam("q") String q, @QueryParam("type") String type, @Context UriInfo uri) {
        Urls urls = Urls.of(uri);
        String username = type == null || type.isBlank() || type.equals("accounts") ? AccountsResource.localUsername(q, urls) : null;
        Uni<List<MastodonAccount>> accounts = username == null ? Uni.createFrom().item(List.of())
                : entities.accountNamed(username).map(a -> List.of(MastodonAccount.of(a, urls)))
                        .onFailure(MastodonError.class).recoverWithItem(List.of());
        return accounts.map(found -> Map.of("accounts", found, "statuses", List.of(), "hashtags", List.of()));
    }
}
