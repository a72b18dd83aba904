package dev.flock.embedded;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Tells the embedded services' shutdown hook whether the application still holds connections to them. */
@ApplicationScoped
class ApplicationRunningMarker {

    void started(@Observes StartupEvent event) {
        System.setProperty(EmbeddedServices.APP_RUNNING, "true");
    }

    void stopped(@Observes ShutdownEvent event) {
        System.setProperty(EmbeddedServices.APP_RUNNING, "false");
    }
}
