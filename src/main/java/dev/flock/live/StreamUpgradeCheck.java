package dev.flock.live;

import dev.flock.account.TokenIssuer;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;
import java.util.Map;

/**
 * The last step of the upgrade of /api/stream, after {@link StreamAdmission} admitted it: who the stream is for (the
 * token's or the ticket's account, its session and expiry) and where it resumes travel to the stream in its user
 * data. A request that did not come through admission (none should) is refused with 401.
 */
@ApplicationScoped
public class StreamUpgradeCheck implements HttpUpgradeCheck {

    private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer"));

    @Override
    public boolean appliesTo(String endpointId) {
        return LiveStream.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return context.securityIdentity().onFailure().recoverWithNull().map(identity -> {
            Long account = StreamAdmission.account(identity);
            if (account == null) {
                return CheckResult.rejectUpgradeSync(401, CHALLENGE);
            }
            context.userData().put(LiveStream.ACCOUNT, account);
            holder(identity, context);
            String cursor = context.httpRequest().getParam("cursor");
            if (cursor != null) {
                context.userData().put(LiveStream.CURSOR, cursor);
            }
            return CheckResult.permitUpgradeSync();
        });
    }

    private static void holder(SecurityIdentity identity, HttpUpgradeContext context) {
        if (identity.getPrincipal() instanceof StreamAdmission.TicketPrincipal ticket) {
            context.userData().put(LiveStream.EXPIRES, ticket.holder().tokenExpiresAt().toEpochMilli());
            if (ticket.holder().session() != null) {
                context.userData().put(LiveStream.SESSION, ticket.holder().session());
            }
        } else if (identity.getPrincipal() instanceof JsonWebToken token) {
            context.userData().put(LiveStream.EXPIRES, token.getExpirationTime() * 1000);
            String session = TokenIssuer.sessionOf(token);
            if (session != null) {
                context.userData().put(LiveStream.SESSION, session);
            }
        }
    }
}
