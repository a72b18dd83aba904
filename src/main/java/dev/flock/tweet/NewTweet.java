package dev.flock.tweet;

/** The body of POST /api/tweets; the text is checked by {@link TweetText}. */
public record NewTweet(String text) {
}
