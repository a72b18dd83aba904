package dev.flock.account;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's copy of the revoked, unexpired sessions, so that checking a token costs a map lookup and no
 * database read. It polls PostgreSQL every {@code flock.accounts.revocation-refresh} (1 s) for sessions revoked since
 * it last looked, so a revocation made on any instance holds on every instance within about a second. While
 * PostgreSQL is unreachable it keeps what it knows: nothing can be revoked meanwhile either.
 */
@ApplicationScoped
public class RevokedSessions {

    private static final Logger LOG = Logger.getLogger(RevokedSessions.class);
    /**
     * revoked_at is the revoking statement's start; it commits a little later. Each poll looks this far behind the
     * newest revocation it saw, so that a late commit is not skipped.
     */
    private static final Duration COMMIT_MARGIN = Duration.ofSeconds(30);
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);

    @Inject
    SessionStore store;

    @Inject
    AccountsConfig config;

    @Inject
    Vertx vertx;

    @Inject
    Event<SessionsRevoked> revokedEvent;

    /** Session id to its expiry: once a token has expired anyway, its entry can go. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile OffsetDateTime newestSeen;
    private volatile long lastSweepNanos = System.nanoTime();
    private volatile long lastFailureLogNanos;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        learn(store.revokedSince(null).await().atMost(Duration.ofSeconds(30)));
        timer = vertx.setPeriodic(config.revocationRefresh().toMillis(), tick -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public boolean isRevoked(String sessionId) {
        return revoked.containsKey(sessionId);
    }

    /** Takes in revocations (polled, or just made on this instance) and tells the observers about the new ones. */
    public void learn(List<SessionStore.Revoked> sessions) {
        Set<String> fresh = new HashSet<>();
        Set<Long> accounts = new HashSet<>();
        for (SessionStore.Revoked s : sessions) {
            if (revoked.putIfAbsent(s.id(), s.expiresAt()) == null) {
                fresh.add(s.id());
                if (s.accountId() != null) {
                    accounts.add(s.accountId());
                }
            }
            OffsetDateTime seen = newestSeen;
            if (s.revokedAt() != null && (seen == null || s.revokedAt().isAfter(seen))) {
                newestSeen = s.revokedAt();
            }
        }
        if (!fresh.isEmpty()) {
            revokedEvent.fire(new SessionsRevoked(Set.copyOf(fresh), Set.copyOf(accounts)));
        }
    }

    private void poll() {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        OffsetDateTime seen = newestSeen;
        store.revokedSince(seen == null ? null : seen.minus(COMMIT_MARGIN))
                .invoke(this::learn)
                .invoke(this::forgetExpired)
                .eventually(() -> polling.set(false))
                .subscribe().with(ok -> { }, failure -> {
                    long now = System.nanoTime();
                    if (now - lastFailureLogNanos > Duration.ofMinutes(1).toNanos()) {
                        lastFailureLogNanos = now;
                        LOG.warnf("Could not poll revoked sessions (keeping the %d known): %s", revoked.size(), failure.toString());
                    }
                });
    }

    private void forgetExpired() {
        Instant now = Instant.now();
        revoked.values().removeIf(expiresAt -> expiresAt.isBefore(now.minusSeconds(60)));
        if (System.nanoTime() - lastSweepNanos > SWEEP_EVERY.toNanos()) {
            lastSweepNanos = System.nanoTime();
            store.sweepExpired().subscribe().with(n -> LOG.debugf("Swept %d expired sessions", n), e -> { });
        }
    }
}
