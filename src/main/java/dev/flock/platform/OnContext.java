package dev.flock.platform;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;

/**
 * An executor that runs on the Vert.x context of the caller. Kafka acknowledgements complete on the producer's own
 * thread; Hibernate Reactive must continue on the context that opened its session.
 */
public final class OnContext {

    private OnContext() {
    }

    public static Executor current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
