package dev.flock.account;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What other features may ask about accounts. Must be called inside a Hibernate Reactive session. */
@ApplicationScoped
public class Accounts {

    /** The account with this username, compared ignoring case, or null. */
    public Uni<Account> byUsername(String username) {
        if (username == null || username.length() > 30) {
            return Uni.createFrom().nullItem();
        }
        return Account.<Account>find("lower(username) = ?1", username.toLowerCase(java.util.Locale.ROOT)).firstResult();
    }

    public Uni<Account> byId(long id) {
        return Account.findById(id);
    }

    public Uni<Map<Long, Account>> byIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Account.<Account>list("id in ?1", List.copyOf(ids))
                .map(list -> list.stream().collect(Collectors.toMap(a -> a.id, Function.identity())));
    }

    /** How many accounts exist and how many tweets they have. */
    public record Totals(long accounts, long tweets) {
    }

    public Uni<Totals> totals() {
        return Account.getSession().chain(session -> session
                .createNativeQuery("SELECT count(*), coalesce(sum(tweets_count), 0) FROM accounts", Object[].class)
                .getSingleResult())
                .map(row -> new Totals(((Number) row[0]).longValue(), ((Number) row[1]).longValue()));
    }

    public static AccountView view(Account account) {
        return AccountView.of(account);
    }
}
