package dev.flock.platform;

import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The account a request acts as: only ever the subject of its verified bearer token. */
@RequestScoped
public class CallerIdentity {

    @Inject
    JsonWebToken token;

    public long accountId() {
        String subject = token == null ? null : token.getSubject();
        if (subject == null) {
            throw new UnauthorizedException();
        }
        return Long.parseLong(subject);
    }
}
