package dev.flock.live;

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
 * Decides the upgrade of /api/stream before any WebSocket exists: 401 without a valid token, 400 for a malformed
 * {@code cursor}, 503 while this instance drains. The account and token expiry travel to the stream in its user data.
 */
@ApplicationScoped
public class StreamUpgradeCheck implements HttpUpgradeCheck {

    private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer"));

    @Inject
    LiveStreams streams;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (streams.draining()) {
            return CheckResult.rejectUpgrade(503);
        }
        String cursor = context.httpRequest().getParam("cursor");
        if (context.httpRequest().getParam("since") != null) {
            // since=<id> could not resume exactly (ids are not log positions); it was replaced by cursor.
            return CheckResult.rejectUpgrade(400);
        }
        if (cursor != null) {
            try {
                StreamCursor.parse(cursor);
            } catch (StreamCursor.Malformed e) {
                return CheckResult.rejectUpgrade(400);
            }
        }
        return context.securityIdentity()
                .onFailure().recoverWithNull()
                .map(identity -> {
                    JsonWebToken token = token(identity);
                    if (token == null || token.getSubject() == null) {
                        return CheckResult.rejectUpgradeSync(401, CHALLENGE);
                    }
                    context.userData().put(LiveStreams.ACCOUNT, Long.parseLong(token.getSubject()));
                    context.userData().put(LiveStreams.EXPIRES, token.getExpirationTime() * 1000);
                    if (cursor != null) {
                        context.userData().put(LiveStreams.CURSOR, cursor);
                    }
                    return CheckResult.permitUpgradeSync();
                });
    }

    private static JsonWebToken token(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        return identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null;
    }
}
