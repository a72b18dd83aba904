package dev.flock.live;

import dev.flock.tweet.SnowflakeIds;
import dev.flock.tweet.TweetView;

/**
 * A created tweet as the live side keeps it: the tweet, its JSON as Flock's API shows it (serialised once for every
 * stream that gets it), and when it was accepted (its id's time), for the delivery-latency metric.
 */
public record LiveTweet(TweetView view, String json, long acceptedAtMillis) {

    static LiveTweet of(TweetView tweet) {
        return new LiveTweet(tweet, FlockFrames.tweetJson(tweet), SnowflakeIds.timeOf(tweet.idValue()).toEpochMilli());
    }

    public long id() {
        return view.idValue();
    }
}
