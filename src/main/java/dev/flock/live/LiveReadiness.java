package dev.flock.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while draining, so load balancers send no new streams here. */
@Readiness
@ApplicationScoped
public class LiveReadiness implements HealthCheck {

    @Inject
    LiveStreams streams;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Flock live streams").status(!streams.draining()).build();
    }
}
