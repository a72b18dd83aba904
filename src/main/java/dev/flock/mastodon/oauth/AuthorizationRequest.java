package dev.flock.mastodon.oauth;

import dev.flock.mastodon.Params;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OAuth parameters of GET and POST /oauth/authorize, checked as RFC 6749 section 4.1.2.1 says: an unknown client
 * or an unregistered redirect URI is shown on the page (never redirected to); anything else wrong goes back to the
 * client's redirect URI as error and state. Either {@code refusal} is set or the request is valid.
 */
record AuthorizationRequest(OAuthApplications.Application application, String redirectUri, Set<String> scopes,
                            String state, String codeChallenge, Response refusal) {

    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    static Uni<AuthorizationRequest> read(Params params, OAuthApplications applications, ConsentPage page) {
        String clientId = params.text("client_id");
        String redirectUri = params.text("redirect_uri");
        String state = params.text("state");
        return applications.byClientId(clientId).map(app -> {
            if (app == null) {
                return refused(page.error(400, "Unknown client", "No application is registered with this client_id."));
            }
            String redirect = redirectUri == null && app.redirectUris().size() == 1 ? app.redirectUris().get(0) : redirectUri;
            if (redirect == null || !app.redirectUris().contains(redirect)) {
                return refused(page.error(400, "Invalid redirect URI",
                        "The redirect_uri is not one the application registered."));
            }
            if (!"code".equals(params.text("response_type"))) {
                return refused(back(page, redirect, state, "unsupported_response_type", "Only response_type=code is supported."));
            }
            String scopeRaw = params.text("scope");
            Set<String> scopes = Scopes.parse(scopeRaw == null || scopeRaw.isBlank() ? "read" : scopeRaw);
            if (!Scopes.allSupported(scopes) || !Scopes.within(scopes, Scopes.parse(app.scopes()))) {
                return refused(back(page, redirect, state, "invalid_scope", "The requested scope is invalid, unknown, or malformed."));
            }
            String challenge = params.text("code_challenge");
            String method = params.text("code_challenge_method");
            if (challenge != null && !challenge.isEmpty()) {
                if (!"S256".equals(method) || !CHALLENGE.matcher(challenge).matches()) {
                    return refused(back(page, redirect, state, "invalid_request",
                            "code_challenge_method must be S256 with a 43-character code_challenge."));
                }
            } else {
                challenge = null;
            }
            return new AuthorizationRequest(app, redirect, scopes, state, challenge, null);
        });
    }

    /** The hidden fields that carry the request through the consent form. */
    Map<String, String> hiddenFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client_id", application.clientId());
        fields.put("redirect_uri", redirectUri);
        fields.put("response_type", "code");
        fields.put("scope", Scopes.format(scopes));
        if (state != null) {
            fields.put("state", state);
        }
        if (codeChallenge != null) {
            fields.put("code_challenge", codeChallenge);
            fields.put("code_challenge_method", "S256");
        }
        return fields;
    }

    boolean outOfBand() {
        return AppsResource.OUT_OF_BAND.equals(redirectUri);
    }

    /** The client's redirect URI with these parameters added to its query. */
    static Response redirect(String redirectUri, Map<String, String> parameters) {
        StringBuilder target = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            if (p.getValue() == null) {
                continue;
            }
            target.append(separator).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return Response.status(302).location(URI.create(target.toString())).header("Cache-Control", "no-store").build();
    }

    /** An error for the client: to its redirect URI, or on the page for out-of-band clients, who have none. */
    static Response back(ConsentPage page, String redirectUri, String state, String error, String description) {
        if (AppsResource.OUT_OF_BAND.equals(redirectUri)) {
            return page.error(400, error, description);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error", error);
        parameters.put("error_description", description);
        parameters.put("state", state);
        return redirect(redirectUri, parameters);
    }

    private static AuthorizationRequest refused(Response response) {
        return new AuthorizationRequest(null, null, null, null, null, response);
    }
}
