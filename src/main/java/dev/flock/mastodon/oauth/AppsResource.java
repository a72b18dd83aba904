package dev.flock.mastodon.oauth;

import dev.flock.mastodon.MastodonCaller;
import dev.flock.mastodon.MastodonError;
import dev.flock.mastodon.Params;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppsResource {

    public static final String OUT_OF_BAND = "urn:ietf:wg:oauth:2.0:oob";
    /** Schemes that would run code if a browser were sent to them. */
    private static final Set<String> UNSAFE_SCHEMES = Set.of("javascript", "data", "vbscript", "file");

    @Inject
    OAuthApplications applications;

    @Inject
    MastodonCaller caller;

    /** Registers a client application (a confidential client: it gets a secret), as Mastodon does, without a token. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> register(String body, @HeaderParam("Content-Type") String contentType, @Context UriInfo uri) {
        Params params = Params.of(uri.getQueryParameters(), contentType, body);
        String name = params.text("client_name");
        if (name == null || name.isBlank()) {
            throw MastodonError.invalid("Application name can't be blank");
        }
        if (name.length() > 100) {
            throw MastodonError.invalid("Application name is too long (maximum is 100 characters)");
        }
        List<String> redirects = redirectUris(params.list("redirect_uris"));
        String website = params.text("website");
        if (website != null && (website.isBlank() || website.length() > 500)) {
            website = null;
        }
        String scopesRaw = params.text("scopes");
        Set<String> scopes = Scopes.parse(scopesRaw == null || scopesRaw.isBlank() ? "read" : scopesRaw);
        if (!Scopes.allSupported(scopes)) {
            throw MastodonError.invalid("Scopes must be among " + String.join(" ", Scopes.SUPPORTED));
        }
        return applications.register(name.strip(), website, redirects, Scopes.format(scopes))
                .map(registered -> {
                    Map<String, Object> app = entity(registered.application());
                    app.put("client_id", registered.application().clientId());
                    app.put("client_secret", registered.clientSecret());
                    app.put("client_secret_expires_at", 0);
                    return app;
                });
    }

    /** The application of the token, a user's or the application's own. */
    @GET
    @Path("/verify_credentials")
    @Authenticated
    public Uni<Map<String, Object>> verifyCredentials() {
        Long id = caller.application();
        if (id == null) {
            // Flock's own session tokens belong to no application.
            throw new MastodonError(401, "The access token is invalid");
        }
        return applications.byId(id).onItem().ifNull().failWith(() -> new MastodonError(401, "The access token is invalid"))
                .map(AppsResource::entity);
    }

    static Map<String, Object> entity(OAuthApplications.Application a) {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("id", String.valueOf(a.id()));
        app.put("name", a.name());
        app.put("website", a.website());
        app.put("scopes", List.copyOf(Scopes.parse(a.scopes())));
        app.put("redirect_uri", String.join("\n", a.redirectUris()));
        app.put("redirect_uris", a.redirectUris());
        app.put("vapid_key", "");
        return app;
    }

    /** One or more absolute URIs without a fragment, or the out-of-band marker; a string may hold several, spaced. */
    private static List<String> redirectUris(List<String> raw) {
        List<String> uris = new ArrayList<>();
        for (String value : raw) {
            for (String piece : value.trim().split("\\s+")) {
                if (!piece.isEmpty()) {
                    uris.add(piece);
                }
            }
        }
        if (uris.isEmpty()) {
            throw MastodonError.invalid("Redirect URI can't be blank");
        }
        for (String u : uris) {
            if (u.equals(OUT_OF_BAND)) {
                continue;
            }
            try {
                URI parsed = new URI(u);
                if (!parsed.isAbsolute() || parsed.getFragment() != null || u.length() > 500
                        || UNSAFE_SCHEMES.contains(parsed.getScheme().toLowerCase(Locale.ROOT))) {
                    throw MastodonError.invalid("Redirect URI must be an absolute URI.");
                }
            } catch (URISyntaxException e) {
                throw MastodonError.invalid("Redirect URI must be an absolute URI.");
            }
        }
        return uris;
    }
}
