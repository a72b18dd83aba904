package dev.flock.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while draining or before the live consumer reads the log, so load balancers send no streams here. */
@Readiness
@ApplicationScoped
public class LiveReadiness implements HealthCheck {

    @Inject
    LiveStreams streams;

    @Inject
    LiveLog live;

    /** Ready once the live consumer has every partition and has read up to where it started, and until draining. */
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Flock live streams")
                .status(!streams.draining() && live.ready())
                .withData("draining", streams.draining())
                .withData("reading the log", live.ready())
                .build();
    }
}
