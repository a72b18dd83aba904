package dev.flock.mastodon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.flock.tweet.TweetView;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * Mastodon's Status entity for a tweet: public, no media, poll, card, reblog or reply. {@code text} (the plain
 * source) is there only in the answer to a delete, so that clients can offer to redraft.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MastodonStatus(String id, String createdAt, String inReplyToId, String inReplyToAccountId, boolean sensitive,
                             String spoilerText, String visibility, String language, String uri, String url,
                             int repliesCount, int reblogsCount, int favouritesCount, String editedAt, boolean favourited,
                             boolean reblogged, boolean muted, boolean bookmarked, boolean pinned, String content,
                             List<Object> filtered, Object reblog, Object application, MastodonAccount account,
                             List<Object> mediaAttachments, List<Object> mentions, List<Object> tags, List<Object> emojis,
                             Object card, Object poll,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String text) {

    public static MastodonStatus of(TweetView tweet, MastodonAccount author, Urls urls) {
        return of(tweet, author, urls, null);
    }

    /** The status with its author as the tweet alone tells it ({@link MastodonAccount#ofAuthor}). */
    public static MastodonStatus ofTweet(TweetView tweet, Urls urls) {
        return of(tweet, MastodonAccount.ofAuthor(tweet, urls), urls);
    }

    /** The status as a delete answers it, with its source text. */
    public static MastodonStatus deleted(TweetView tweet, MastodonAccount author, Urls urls) {
        return of(tweet, author, urls, tweet.text());
    }

    private static MastodonStatus of(TweetView tweet, MastodonAccount author, Urls urls, String text) {
        String username = tweet.author().username();
        return new MastodonStatus(tweet.id(), tweet.createdAt(), null, null, false, "", "public", null,
                urls.at("/users/" + username + "/statuses/" + tweet.id()), urls.at("/@" + username + "/" + tweet.id()),
                0, 0, 0, null, false, false, false, false, false, Html.paragraphs(tweet.text()), List.of(), null, null,
                author, List.of(), List.of(), List.of(), List.of(), null, null, text);
    }
}
