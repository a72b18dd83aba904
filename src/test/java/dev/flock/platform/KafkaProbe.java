package dev.flock.platform;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test-only SmallRye channels on topic flock.probe: what goes out through the real broker must come back in. */
@ApplicationScoped
public class KafkaProbe {

    private final List<String> received = new CopyOnWriteArrayList<>();

    @Channel("probe-out")
    Emitter<String> out;

    public CompletionStage<Void> send(String value) {
        return out.send(value);
    }

    @Incoming("probe-in")
    void receive(String value) {
        received.add(value);
    }

    public List<String> received() {
        return received;
    }
}
