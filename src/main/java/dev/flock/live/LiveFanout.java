package dev.flock.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.follow.FollowEvent;
import dev.flock.tweet.TweetEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every instance reads all of flock.tweets and flock.follows with consumers of its own (a group per instance,
 * starting at the end) and hands each event to the local streams that want it.
 */
@ApplicationScoped
class LiveFanout {

    private static final Logger LOG = Logger.getLogger(LiveFanout.class);

    @Inject
    InterestIndex index;

    @Inject
    RecentTweets recent;

    @Inject
    ObjectMapper json;

    @Incoming("tweets-live")
    void tweet(String value) {
        TweetEvent event;
        try {
            event = json.readValue(value, TweetEvent.class);
            event.idValue();
            event.authorId();
        } catch (Exception e) {
            LOG.debugf("Ignoring an unreadable tweet event: %s", e.getMessage());
            return;
        }
        try {
            fanOut(event);
        } catch (RuntimeException e) {
            // One stream's trouble must never stop the fan-out for everyone else.
            LOG.warnf("Fan-out of tweet event %s failed: %s", event.id(), e.toString());
        }
    }

    private void fanOut(TweetEvent event) {
        if (TweetEvent.CREATED.equals(event.type())) {
            LiveTweet tweet = LiveTweet.of(event.tweet());
            // Into the ring before the lookup: a stream registering now finds it in one or the other.
            recent.created(tweet);
            for (StreamSession session : index.interestedIn(tweet.authorId())) {
                session.offer(tweet.frame(), tweet);
            }
        } else if (TweetEvent.DELETED.equals(event.type())) {
            recent.deleted(event.idValue());
            String frame = Frames.delete(event.idValue());
            for (StreamSession session : index.interestedIn(event.authorId())) {
                session.offer(frame, null);
            }
        }
    }

    @Incoming("follows-live")
    void follow(String value) {
        try {
            apply(json.readValue(value, FollowEvent.class));
        } catch (Exception e) {
            LOG.debugf("Ignoring an unreadable follow event: %s", e.getMessage());
        }
    }

    /** A follow change made through this instance, before its 204. */
    void followedHere(@Observes FollowEvent event) {
        apply(event);
    }

    private void apply(FollowEvent event) {
        for (StreamSession session : index.ofAccount(event.followerId())) {
            if (FollowEvent.FOLLOWED.equals(event.type())) {
                index.interest(session, event.followeeId());
            } else if (FollowEvent.UNFOLLOWED.equals(event.type())) {
                index.noInterest(session, event.followeeId());
            }
        }
    }
}
