package dev.flock.live;

import dev.flock.tweet.SnowflakeIds;
import dev.flock.tweet.TweetView;

/** A tweet as the live side sends it: its id, author and its JSON, serialised once for every stream that gets it. */
record LiveTweet(long id, long authorId, String json, long acceptedAtMillis) {

    static LiveTweet of(TweetView tweet) {
        return new LiveTweet(tweet.idValue(), Long.parseLong(tweet.author().id()), Frames.tweetJson(tweet),
                SnowflakeIds.timeOf(tweet.idValue()).toEpochMilli());
    }
}
