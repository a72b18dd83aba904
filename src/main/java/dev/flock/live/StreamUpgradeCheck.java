package dev.flock.live;

import dev.flock.account.TokenIssuer;
import dev.flock.timeline.StreamCursor;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;
import java.util.Map;

/**
 * Decides the upgrade of /api/stream before any WebSocket exists: 401 without a valid token, then 400 for a
 * malformed {@code cursor}, 503 while this instance drains. The account and token expiry travel to the stream in its user data.
 */
@ApplicationScoped
public class StreamUpgradeCheck implements HttpUpgradeCheck {

    private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer"));

    @Inject
    LiveStreams streams;

    /** Only /api/stream: other endpoints (the Mastodon streaming API) check their own upgrades. */
    @Override
    public boolean appliesTo(String endpointId) {
        return LiveStream.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (streams.draining()) {
            return CheckResult.rejectUpgrade(503);
        }
        String cursor = context.httpRequest().getParam("cursor");
        return context.securityIdentity()
                .onFailure().recoverWithNull()
                .map(identity -> {
                    JsonWebToken token = token(identity);
                    if (token == null || token.getSubject() == null) {
                        return CheckResult.rejectUpgradeSync(401, CHALLENGE);
                    }
                    // since=<id> could not resume exactly (ids are not log positions); it was replaced by cursor.
                    if (context.httpRequest().getParam("since") != null || !wellFormed(cursor)) {
                        return CheckResult.rejectUpgradeSync(400);
                    }
                    context.userData().put(LiveStream.ACCOUNT, Long.parseLong(token.getSubject()));
                    context.userData().put(LiveStream.EXPIRES, token.getExpirationTime() * 1000);
                    String session = TokenIssuer.sessionOf(token);
                    if (session != null) {
                        context.userData().put(LiveStream.SESSION, session);
                    }
                    if (cursor != null) {
                        context.userData().put(LiveStream.CURSOR, cursor);
                    }
                    return CheckResult.permitUpgradeSync();
                });
    }

    private static boolean wellFormed(String cursor) {
        if (cursor == null) {
            return true;
        }
        try {
            StreamCursor.parse(cursor);
            return true;
        } catch (StreamCursor.Malformed e) {
            return false;
        }
    }

    private static JsonWebToken token(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        return identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null;
    }
}
