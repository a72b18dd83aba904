package dev.flock.live;

import dev.flock.follow.FollowSpans;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one stream's reader follows, as of the stream's position in the log: for every author the reader has ever
 * followed, whether it follows now and the sequence number of the last follow change applied (older or repeated
 * changes are ignored, so a relayed duplicate cannot flip the state). Tweets are sent for authors followed now;
 * deletes for authors ever followed (the reader may have received the tweet while following).
 */
final class FollowBook {

    /** author → seq + 1, positive while following, negative once unfollowed. */
    private final Map<Long, Long> state = new HashMap<>();
    private final long self;

    FollowBook(long self) {
        this.self = self;
    }

    /** The state the stored spans describe (every change the store consumer applied). */
    static FollowBook fromSpans(long self, Iterable<FollowSpans.Span> spans) {
        FollowBook book = new FollowBook(self);
        for (FollowSpans.Span span : spans) {
            if (!span.isEmpty()) {
                book.apply(span.followee(), true, span.followSeq());
            }
            if (span.toOffset() != null) {
                book.apply(span.followee(), false, span.unfollowSeq());
            }
        }
        return book;
    }

    /** Applies a change; answers whether the author is new to this book (so the index must learn of it). */
    boolean apply(long author, boolean follows, long seq) {
        Long known = state.get(author);
        if (known != null && seq + 1 <= Math.abs(known)) {
            return false;
        }
        state.put(author, follows ? seq + 1 : -(seq + 1));
        return known == null;
    }

    boolean follows(long author) {
        if (author == self) {
            return true;
        }
        Long known = state.get(author);
        return known != null && known > 0;
    }

    boolean everFollowed(long author) {
        return author == self || state.containsKey(author);
    }

    /** Every author whose events this stream wants (itself and everyone it has followed). */
    Set<Long> authors() {
        return state.keySet();
    }
}
