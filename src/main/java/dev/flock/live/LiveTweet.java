package dev.flock.live;

import dev.flock.tweet.TweetView;

/** A consumed tweet event as the live side keeps it: its id, author and ready-made frame. */
record LiveTweet(long id, long authorId, String frame, long acceptedAtMillis) {

    static LiveTweet of(TweetView tweet) {
        return new LiveTweet(tweet.idValue(), Long.parseLong(tweet.author().id()), Frames.tweet(tweet),
                dev.flock.tweet.SnowflakeIds.timeOf(tweet.idValue()).toEpochMilli());
    }
}
