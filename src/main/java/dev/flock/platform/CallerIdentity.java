package dev.flock.platform;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/** The account a request acts as: only ever the subject of its verified bearer token. */
@RequestScoped
public class CallerIdentity {

    /** Flock's own API has no scopes: an OAuth token acts on it only if it was granted the whole account. */
    private static final Set<String> WHOLE_ACCOUNT = Set.of("read", "write");

    @Inject
    JsonWebToken token;

    public long accountId() {
        String subject = token == null ? null : token.getSubject();
        if (subject == null) {
            throw new UnauthorizedException();
        }
        Object scope = token.getClaim("scope");
        String scopes = scope instanceof jakarta.json.JsonString s ? s.getString() : scope == null ? null : scope.toString();
        if (scopes != null && !Set.of(scopes.split(" ")).containsAll(WHOLE_ACCOUNT)) {
            throw new ForbiddenException("An OAuth token with narrower scopes than read and write");
        }
        return Long.parseLong(subject);
    }
}
