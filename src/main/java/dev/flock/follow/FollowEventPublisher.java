package dev.flock.follow;

import dev.flock.platform.ApiTime;
import dev.flock.platform.OnContext;
import dev.flock.platform.Problem;
import dev.flock.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Instant;

/** Publishes follow changes to flock.follows so every instance can update the live streams it holds. */
@ApplicationScoped
public class FollowEventPublisher {

    @Inject
    @Channel("follows-out")
    MutinyEmitter<Record<String, FollowEvent>> emitter;

    @Inject
    Event<FollowEvent> local;

    /**
     * Completes once the broker acknowledged the event (acks=all). The event is also fired inside this instance at
     * once, so streams held here follow the change before the 204 is answered, not only once Kafka delivers it.
     */
    public Uni<Void> publish(String type, long follower, long followee) {
        FollowEvent event = new FollowEvent(type, String.valueOf(follower), String.valueOf(followee), ApiTime.format(Instant.now()));
        return emitter.send(Record.of(event.follower(), event)).emitOn(OnContext.current())
                .invoke(() -> local.fire(event))
                .onFailure().transform(e -> new ProblemException(Problem.of(503, "Service Unavailable",
                        "The change could not be published and was not made; try again")));
    }
}
