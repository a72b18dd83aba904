package dev.flock.account;

import dev.flock.platform.CallerIdentity;
import dev.flock.platform.ClientAddress;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import dev.flock.platform.RateLimiter;
import dev.flock.platform.SharedRateLimits;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

@Path("/api/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts", description = "Sign-up and account profiles")
public class AccountResource {

    @Inject
    Accounts accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    CallerIdentity caller;

    @Inject
    AccountsConfig config;

    @Inject
    SharedRateLimits limits;

    private RateLimiter signups;

    @PostConstruct
    void init() {
        signups = limits.limiter("signups", config.signupPerAddress());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createAccount", summary = "Create an account")
    @RequestBody(required = true, content = @Content(examples = @ExampleObject(name = "ada",
            value = "{\"username\": \"ada\", \"password\": \"correct horse\", \"displayName\": \"Ada\", \"bio\": \"Analyst\"}")))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = AccountView.class)),
            headers = @Header(name = "Location", required = true, description = "The new account's URL", schema = @Schema(type = SchemaType.STRING, format = "uri")))
    @APIResponse(responseCode = "400", description = "The body is invalid; `errors` names each field")
    @APIResponse(responseCode = "409", description = "The username is taken (ignoring case)")
    @APIResponse(responseCode = "429", description = "Too many sign-ups from this client address (20 an hour; an IPv6 client's whole /64 is one address)")
    public Uni<Response> create(@Valid @NotNull(message = "is required") NewAccount body, @Context HttpServerRequest request,
                                @Context UriInfo uri) {
        return signups.check(ClientAddress.limitKey(request), "Accounts created")
                .chain(() -> Panache.withSession(() -> accounts.byUsername(body.username())))
                .onItem().ifNotNull().failWith(() -> taken())
                .chain(() -> hasher.hash(body.password()))
                .chain(hash -> Panache.withTransaction(() -> {
                    Account a = new Account();
                    a.username = body.username();
                    a.displayName = body.displayName() == null ? body.username() : Normalizer.normalize(body.displayName(), Normalizer.Form.NFC);
                    a.bio = body.bio() == null ? "" : Normalizer.normalize(body.bio(), Normalizer.Form.NFC);
                    a.passwordHash = hash;
                    a.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    return a.<Account>persist();
                }))
                .onFailure(AccountResource::isUniqueViolation).transform(e -> taken())
                .map(a -> Response.created(uri.getBaseUriBuilder().path("api/accounts/{u}").build(a.username))
                        .entity(AccountView.of(a)).build());
    }

    @GET
    @Path("/me")
    @Authenticated
    @Operation(operationId = "getMyAccount", summary = "The token's own account")
    @APIResponse(responseCode = "200", description = "The account")
    public Uni<AccountView> me() {
        long id = caller.accountId();
        return Panache.withSession(() -> accounts.byId(id))
                .onItem().ifNull().failWith(() -> ProblemException.of(Response.Status.UNAUTHORIZED, "The token's account no longer exists"))
                .map(AccountView::of);
    }

    @GET
    @Path("/{username}")
    @Operation(operationId = "getAccount", summary = "An account by username (any case)")
    @APIResponse(responseCode = "200", description = "The account")
    @APIResponse(responseCode = "404", description = "No account has that name")
    public Uni<AccountView> get(@PathParam("username") String username) {
        return Panache.withSession(() -> accounts.byUsername(username))
                .onItem().ifNull().failWith(() -> ProblemException.of(Response.Status.NOT_FOUND, "No account named " + username))
                .map(AccountView::of);
    }

    private static ProblemException taken() {
        return new ProblemException(Problem.of(409, "Conflict", "That username is taken"));
    }

    /** A concurrent sign-up with the same name loses at the unique index (SQLSTATE 23505). */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }
}
