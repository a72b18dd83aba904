package dev.flock.mastodon.oauth;

import dev.flock.account.SignIn;
import dev.flock.mastodon.Params;
import dev.flock.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth authorization endpoint as Mastodon serves it: GET shows the sign-in and consent form; the form posts back
 * here with the OAuth parameters in hidden fields; success redirects (302) to the client's redirect URI with
 * {@code code} and {@code state}, or shows the code for out-of-band clients.
 */
@Path("/oauth/authorize")
public class AuthorizeResource {

    @Inject
    OAuthApplications applications;

    @Inject
    AuthorizationCodes codes;

    @Inject
    ConsentPage page;

    @Inject
    SignIn signIn;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> form(@Context UriInfo uri) {
        return AuthorizationRequest.read(Params.of(uri.getQueryParameters(), null, null), applications, page)
                .map(request -> request.refusal() != null ? request.refusal() : page.form(request, 200, null));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> decide(String body, @HeaderParam("Content-Type") String contentType, @Context UriInfo uri,
                                @Context HttpServerRequest http) {
        Params params = Params.of(uri.getQueryParameters(), contentType, body);
        return AuthorizationRequest.read(params, applications, page).chain(request -> {
            if (request.refusal() != null) {
                return Uni.createFrom().item(request.refusal());
            }
            if ("deny".equals(params.text("decision"))) {
                return Uni.createFrom().item(AuthorizationRequest.back(page, request.redirectUri(), request.state(),
                        "access_denied", "The resource owner or authorization server denied the request."));
            }
            String username = params.text("username");
            String password = params.text("password");
            if (username == null || username.isBlank() || password == null || password.isEmpty()
                    || username.length() > 100 || password.length() > 1000) {
                return Uni.createFrom().item(page.form(request, 400, "Enter your username and password."));
            }
            return signIn.verify(username, password, http)
                    .chain(account -> codes.issue(new AuthorizationCodes.Grant(request.application().id(), account.id,
                            request.redirectUri(), Scopes.format(request.scopes()), request.codeChallenge())))
                    .map(code -> {
                        if (request.outOfBand()) {
                            return page.code(request, code);
                        }
                        Map<String, String> parameters = new LinkedHashMap<>();
                        parameters.put("code", code);
                        parameters.put("state", request.state());
                        return AuthorizationRequest.redirect(request.redirectUri(), parameters);
                    })
                    // A wrong password or too many attempts: the form again, with why (and Retry-After on a 429).
                    .onFailure(ProblemException.class).recoverWithItem(e -> {
                        ProblemException problem = (ProblemException) e;
                        Response form = page.form(request, problem.problem().status(), problem.problem().detail());
                        Object retryAfter = problem.toResponse().getHeaderString("Retry-After");
                        return retryAfter == null ? form : Response.fromResponse(form).header("Retry-After", retryAfter).build();
                    });
        });
    }
}
