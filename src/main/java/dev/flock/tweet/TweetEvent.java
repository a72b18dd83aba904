package dev.flock.tweet;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A record on flock.tweets, keyed by the author id so each author's events stay in order. {@code created} carries the
 * whole tweet, so consumers need no database read; {@code deleted} carries the id and the author.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TweetEvent(String type, String id, TweetView.Author author, String text, String createdAt, String idempotencyKey) {

    public static final String CREATED = "created";
    public static final String DELETED = "deleted";

    public static TweetEvent created(TweetView tweet, String idempotencyKey) {
        return new TweetEvent(CREATED, tweet.id(), tweet.author(), tweet.text(), tweet.createdAt(), idempotencyKey);
    }

    public static TweetEvent deleted(long id, TweetView.Author author) {
        return new TweetEvent(DELETED, String.valueOf(id), author, null, null, null);
    }

    public TweetView tweet() {
        return new TweetView(id, author, text, createdAt);
    }

    public long idValue() {
        return Long.parseLong(id);
    }

    public long authorId() {
        return Long.parseLong(author.id());
    }
}
