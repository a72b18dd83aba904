package dev.flock.mastodon.oauth;

import dev.flock.mastodon.Urls;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 8414 metadata, with Mastodon's app_registration_endpoint, so clients can discover the OAuth endpoints. */
@Path("/.well-known/oauth-authorization-server")
public class AuthorizationServerMetadata {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata(@Context UriInfo uri) {
        Urls urls = Urls.of(uri);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", urls.at("/"));
        m.put("authorization_endpoint", urls.at("/oauth/authorize"));
        m.put("token_endpoint", urls.at("/oauth/token"));
        m.put("app_registration_endpoint", urls.at("/api/v1/apps"));
        m.put("revocation_endpoint", urls.at("/oauth/revoke"));
        m.put("scopes_supported", Scopes.SUPPORTED);
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        return m;
    }
}
