package dev.flock.embedded;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;

/**
 * Tells the embedded services' shutdown hook whether the application still holds connections to them. The application
 * counts as stopped only once its application-scoped beans are gone: the Kafka connector closes its consumers and
 * producers just before that, and a broker stopped earlier leaves them retrying a dead address (a screen of warnings).
 */
@ApplicationScoped
class ApplicationRunningMarker {

    void started(@Observes StartupEvent event) {
        System.setProperty(EmbeddedServices.APP_RUNNING, "true");
    }

    static void stopped(@Observes @Destroyed(ApplicationScoped.class) Object event) {
        System.setProperty(EmbeddedServices.APP_RUNNING, "false");
    }
}
