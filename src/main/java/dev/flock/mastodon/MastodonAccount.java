package dev.flock.mastodon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.flock.account.AccountView;
import dev.flock.tweet.TweetView;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * Mastodon's Account entity for a Flock account. Every field clients read is present: the ones Flock has no notion
 * of carry Mastodon's neutral value (not locked, no emojis, no fields) and the default avatar. {@code source} and
 * {@code role} are there only for the caller's own account (verify_credentials).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MastodonAccount(String id, String username, String acct, String displayName, boolean locked, boolean bot,
                              boolean discoverable, boolean indexable, boolean group, String createdAt, String note,
                              String url, String uri, String avatar, String avatarStatic, String header,
                              String headerStatic, int followersCount, int followingCount, int statusesCount,
                              String lastStatusAt, boolean hideCollections, boolean noindex, List<Object> emojis,
                              List<Object> roles, List<Object> fields,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> source,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> role) {

    public static MastodonAccount of(AccountView a, Urls urls) {
        return new MastodonAccount(a.id(), a.username(), a.username(), displayName(a), false, false, true, false, false,
                a.createdAt(), Html.paragraphs(a.bio()), urls.at("/@" + a.username()), urls.at("/users/" + a.username()),
                urls.avatar(), urls.avatar(), urls.header(), urls.header(), a.followersCount(), a.followingCount(),
                a.tweetsCount(), null, false, false, List.of(), List.of(), List.of(), null, null);
    }

    /**
     * The author of a tweet as the tweet alone tells it, where reading the account is not possible (PostgreSQL down)
     * or not allowed (the live fan-out renders without I/O): no bio, zero counters, and the day of the tweet as the
     * day the account was created (Mastodon gives days; clients read the field without a null check).
     */
    public static MastodonAccount ofAuthor(TweetView tweet, Urls urls) {
        TweetView.Author author = tweet.author();
        String day = tweet.createdAt().substring(0, "yyyy-MM-dd".length()) + "T00:00:00.000Z";
        return of(new AccountView(author.id(), author.username(), author.displayName(), "", day, 0, 0, 0), urls);
    }

    /** The caller's own account, with its source (the plain bio) and Mastodon's everyone-role. */
    public static MastodonAccount credential(AccountView a, Urls urls) {
        MastodonAccount plain = of(a, urls);
        Map<String, Object> source = new java.util.LinkedHashMap<>();
        source.put("privacy", "public");
        source.put("sensitive", false);
        source.put("language", null);
        source.put("note", a.bio() == null ? "" : a.bio());
        source.put("fields", List.of());
        source.put("follow_requests_count", 0);
        source.put("hide_collections", false);
        source.put("discoverable", true);
        source.put("indexable", false);
        Map<String, Object> role = Map.of("id", "-99", "name", "", "permissions", "0", "color", "", "highlighted", false);
        return new MastodonAccount(plain.id, plain.username, plain.acct, plain.displayName, false, false, true, false, false,
                plain.createdAt, plain.note, plain.url, plain.uri, plain.avatar, plain.avatarStatic, plain.header,
                plain.headerStatic, plain.followersCount, plain.followingCount, plain.statusesCount, null, false, false,
                List.of(), List.of(), List.of(), source, role);
    }

    private static String displayName(AccountView a) {
        return a.displayName() == null || a.displayName().isEmpty() ? a.username() : a.displayName();
    }
}
