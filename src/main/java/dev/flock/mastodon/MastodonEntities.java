package dev.flock.mastodon;

import dev.flock.account.Account;
import dev.flock.account.AccountView;
import dev.flock.account.Accounts;
import dev.flock.tweet.TweetView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns Flock's accounts and tweets into Mastodon entities, reading the accounts a status needs in one query. */
@ApplicationScoped
public class MastodonEntities {

    @Inject
    Accounts accounts;

    /** The account with this Mastodon id, or a 404 {"error": "Record not found"}. */
    public Uni<AccountView> account(String rawId) {
        Long id = MastodonPaging.recordId(rawId);
        if (id == null) {
            return Uni.createFrom().failure(MastodonError.notFound());
        }
        return Panache.withSession(() -> accounts.byId(id))
                .onItem().ifNull().failWith(MastodonError::notFound)
                .map(Accounts::view);
    }

    public Uni<AccountView> accountNamed(String username) {
        return Panache.withSession(() -> accounts.byUsername(username))
                .onItem().ifNull().failWith(MastodonError::notFound)
                .map(Accounts::view);
    }

    /** Accounts in the order of the ids; ids without an account are left out. */
    public Uni<List<MastodonAccount>> accounts(List<Long> ids, Urls urls) {
        return Panache.withSession(() -> accounts.byIds(ids)).map(byId -> ids.stream()
                .map(byId::get).filter(Objects::nonNull)
                .map(a -> MastodonAccount.of(Accounts.view(a), urls)).toList());
    }

    public Uni<List<MastodonStatus>> statuses(List<TweetView> tweets, Urls urls) {
        return authors(tweets.stream().map(t -> Long.parseLong(t.author().id())).collect(Collectors.toSet()))
                .map(byId -> tweets.stream()
                        .map(t -> MastodonStatus.of(t, author(t, byId, urls), urls))
                        .toList());
    }

    public Uni<MastodonStatus> status(TweetView tweet, Urls urls) {
        return statuses(List.of(tweet), urls).map(list -> list.get(0));
    }

    /** A status just deleted, with its source text; the author's counters as they are now. */
    public Uni<MastodonStatus> deleted(TweetView tweet, Urls urls) {
        return authors(Set.of(Long.parseLong(tweet.author().id())))
                .map(byId -> MastodonStatus.deleted(tweet, author(tweet, byId, urls), urls));
    }

    /**
     * The authors' accounts. A status needs its author's full account; when PostgreSQL cannot answer (posting works
     * without it), the account is made from what the tweet carries ({@link MastodonAccount#ofAuthor}).
     */
    private Uni<Map<Long, Account>> authors(Collection<Long> ids) {
        return Panache.withSession(() -> accounts.byIds(ids)).onFailure().recoverWithItem(Map.of());
    }

    private static MastodonAccount author(TweetView tweet, Map<Long, Account> byId, Urls urls) {
        Account account = byId.get(Long.parseLong(tweet.author().id()));
        return account != null ? MastodonAccount.of(Accounts.view(account), urls) : MastodonAccount.ofAuthor(tweet, urls);
    }
}
