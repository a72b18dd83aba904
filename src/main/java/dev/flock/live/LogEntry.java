package dev.flock.live;

/**
 * One record of the flock.tweets log as the live side keeps it (in the ring of recent records): where it sits, what
 * it is, and for a created tweet its JSON, serialised once whatever the fan-out.
 */
final class LogEntry {

    enum Kind { CREATED, DELETED, FOLLOWED, UNFOLLOWED }

    final int partition;
    final long offset;
    /** Order of arrival at this instance, across partitions. */
    final long arrival;
    final Kind kind;
    /** The author the record concerns: the tweet's author, or for a follow change the followee. */
    final long author;
    /** The tweet id (created, deleted) or the follower (follow changes). */
    final long subject;
    /** The follow change's sequence number (follow changes only). */
    final long seq;
    /** The tweet as JSON (created only). */
    final LiveTweet tweet;

    LogEntry(int partition, long offset, long arrival, Kind kind, long author, long subject, long seq, LiveTweet tweet) {
        this.partition = partition;
        this.offset = offset;
        this.arrival = arrival;
        this.kind = kind;
        this.author = author;
        this.subject = subject;
        this.seq = seq;
        this.tweet = tweet;
    }

    boolean isFollowChange() {
        return kind == Kind.FOLLOWED || kind == Kind.UNFOLLOWED;
    }
}
