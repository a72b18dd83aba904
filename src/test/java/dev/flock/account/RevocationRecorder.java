package dev.flock.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the sessions feature tells the rest of the instance (SessionsRevoked), for tests to check. */
@ApplicationScoped
public class RevocationRecorder {

    private final List<SessionsRevoked> seen = new CopyOnWriteArrayList<>();

    void heard(@Observes SessionsRevoked event) {
        seen.add(event);
    }

    public boolean heardOf(String sessionId, Long accountId) {
        return seen.stream().anyMatch(e -> e.sessionIds().contains(sessionId) && (accountId == null || e.accountIds().contains(accountId)));
    }
}
