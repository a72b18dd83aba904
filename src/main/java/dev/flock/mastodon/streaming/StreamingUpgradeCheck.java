package dev.flock.mastodon.streaming;

import dev.flock.mastodon.Urls;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Hands the caller, whom {@link StreamingAccess} already admitted, the format of the origin the client came by and
 * the stream named in the query to the new connection of /api/v1/streaming. The identity is the request's, resolved
 * once and remembered by Quarkus.
 */
@ApplicationScoped
public class StreamingUpgradeCheck implements HttpUpgradeCheck {

    @Inject
    MastodonStreamFormats formats;

    @Override
    public boolean appliesTo(String endpointId) {
        return MastodonStreaming.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return context.securityIdentity()
                .onFailure().recoverWithNull()
                .map(identity -> {
                    StreamingCaller caller = StreamingCaller.of(identity);
                    if (caller == null) {
                        return CheckResult.rejectUpgradeSync(401);
                    }
                    HttpServerRequest request = context.httpRequest();
                    String stream = request.getParam("stream");
                    context.userData().put(MastodonStreaming.CONNECTION, new StreamingConnection(caller,
                            formats.of(Urls.of(request)), stream == null ? null
                            : new StreamingConnection.Subscription(stream, request.getParam("tag"), request.getParam("list"))));
                    return CheckResult.permitUpgradeSync();
                });
    }
}
