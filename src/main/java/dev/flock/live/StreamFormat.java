package dev.flock.live;

/**
 * How a protocol writes the live fan-out's events. Flock's own stream ({@link FlockFrames}) puts a cursor in every
 * frame and can resume; a format without cursors starts live and is never replayed. A frame a format renders for a
 * record is shared by every stream of that format that receives the record.
 */
public interface StreamFormat {

    /** Whether frames carry the stream's cursor (and the stream can resume from one). */
    boolean carriesCursor();

    /** A created tweet; {@code cursor} is null for formats without cursors. */
    String tweet(LiveTweet tweet, String cursor);

    /** A deleted tweet. */
    String delete(long tweetId, String cursor);

    /** Sent once the replay is done and live frames follow; null sends nothing. */
    String caughtUp(String cursor);
}
