package dev.flock.tweet;

import dev.flock.platform.TimelineLog;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * When flock.tweets was recreated (a new topic id: its offsets start again at 0), the positions stored for the old
 * log mean nothing in the new one. Before any consumer starts, the stored positions of the old epoch are forgotten:
 * stored tweets count as older than every cursor of the new log and open follows as open from its start. Clients
 * holding cursors of the old log get "reset".
 */
@ApplicationScoped
class LogEpochRollover {

    private static final Logger LOG = Logger.getLogger(LogEpochRollover.class);

    @Inject
    Pool pool;

    @Inject
    TimelineLog log;

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        String epoch = log.epoch();
        pool.withTransaction(connection -> connection
                        .preparedQuery("SELECT count(*) FROM log_positions WHERE log_epoch <> $1").execute(Tuple.of(epoch))
                        .chain(rows -> {
                            long old = rows.iterator().next().getLong(0);
                            if (old == 0) {
                                return io.smallrye.mutiny.Uni.createFrom().voidItem();
                            }
                            LOG.warnf("%s has a new epoch %s; forgetting the positions stored for the previous log", TimelineLog.TOPIC, epoch);
                            return connection.query("UPDATE tweets SET created_offset = NULL, deleted_offset = NULL "
                                            + "WHERE created_offset IS NOT NULL OR deleted_offset IS NOT NULL").execute()
                                    .chain(() -> connection.query("DELETE FROM follow_spans WHERE to_offset IS NOT NULL").execute())
                                    .chain(() -> connection.query("UPDATE follow_spans SET from_offset = -1").execute())
                                    .chain(() -> connection.preparedQuery("DELETE FROM log_positions WHERE log_epoch <> $1").execute(Tuple.of(epoch)))
                                    .replaceWithVoid();
                        }))
                .await().atMost(Duration.ofMinutes(5));
    }
}
