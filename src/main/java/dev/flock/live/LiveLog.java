package dev.flock.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.follow.FollowEvent;
import dev.flock.follow.FollowSpans;
import dev.flock.platform.TimelineLog;
import dev.flock.timeline.StreamCursor;
import dev.flock.tweet.LogEvents;
import dev.flock.tweet.TweetEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * This instance's reading of the flock.tweets log (its own consumer, every partition) and what it does with each
 * record, in log order: keep it in a ring of recent records, hand it to the registered streams that want it, and
 * advance the position up to which every record has been handed out.
 *
 * <p>Streams enter and leave the interest index under the same lock, between two records, so a stream's place in
 * the log is exact: everything before its start came from its replay, everything from its start comes from here.
 * The ring lets a replay cover the records between the store consumer's position (what PostgreSQL holds) and this
 * instance's position; a replay is served only when the ring reaches back to the stored position.
 */
@ApplicationScoped
public class LiveLog {

    private static final Logger LOG = Logger.getLogger(LiveLog.class);

    /** What a registration came to. */
    enum Registration { REGISTERED, NOT_READY, NOT_COVERED, CLOSED }

    @Inject
    ObjectMapper json;

    @Inject
    TimelineLog log;

    @Inject
    LiveConfig config;

    @Inject
    RecentDeletes deletes;

    private final InterestIndex index = new InterestIndex();
    private final ArrayDeque<LogEntry> ring = new ArrayDeque<>();
    private ArrayDeque<LogEntry>[] ringByPartition;
    /** Per partition: the offset of the next record to hand out (every record before it has been). */
    private long[] handedOut;
    /** Per partition: the ring holds every record from here up to handedOut. */
    private long[] ringFrom;
    /** Per partition: the end of the partition when this instance started reading it (ready once past it). */
    private long[] endAtStart;
    private boolean[] positioned;
    private long arrivals;
    private String epoch;

    @SuppressWarnings("unchecked")
    private void init() {
        if (handedOut == null) {
            int partitions = log.partitions();
            epoch = log.epoch();
            handedOut = new long[partitions];
            ringFrom = new long[partitions];
            endAtStart = new long[partitions];
            positioned = new boolean[partitions];
            ringByPartition = new ArrayDeque[partitions];
            for (int p = 0; p < partitions; p++) {
                ringByPartition[p] = new ArrayDeque<>();
            }
        }
    }

    /** Where this instance reads a partition from, once it has decided (null: not positioned yet). */
    synchronized Long position(int partition) {
        init();
        return positioned[partition] ? handedOut[partition] : null;
    }

    /** The consumer starts reading the partition at {@code start}; the partition ended at {@code end} then. */
    synchronized void positioned(int partition, long start, long end) {
        init();
        handedOut[partition] = start;
        ringFrom[partition] = start;
        endAtStart[partition] = end;
        positioned[partition] = true;
        ringByPartition[partition].forEach(ring::remove);
        ringByPartition[partition].clear();
    }

    /** Every partition has a position and has been read up to where it ended when reading began. */
    synchronized boolean ready() {
        if (handedOut == null) {
            return false;
        }
        for (int p = 0; p < handedOut.length; p++) {
            if (!positioned[p] || handedOut[p] < endAtStart[p]) {
                return false;
            }
        }
        return true;
    }

    @Incoming("tweets-live")
    void record(ConsumerRecord<String, String> record) {
        Object event;
        try {
            event = LogEvents.parse(json, record.value());
        } catch (Exception e) {
            // The store consumer sends it to the dead-letter topic; no stream can be owed it.
            LOG.debugf("Ignoring an unreadable log record %d@%d: %s", record.partition(), record.offset(), e.getMessage());
            event = null;
        }
        try {
            handOut(record.partition(), record.offset(), event);
        } catch (RuntimeException e) {
            // One stream's trouble must never stop the fan-out for everyone else.
            LOG.warnf("Fan-out of log record %d@%d failed: %s", record.partition(), record.offset(), e.toString());
        }
    }

    private synchronized void handOut(int partition, long offset, Object event) {
        init();
        if (offset < handedOut[partition]) {
            return;
        }
        if (!positioned[partition]) {
            positioned(partition, offset, offset);
        }
        try {
            LogEntry entry = entry(partition, offset, event);
            if (entry != null) {
                remember(entry);
                dispatch(entry);
            }
        } finally {
            handedOut[partition] = offset + 1;
        }
    }

    private LogEntry entry(int partition, long offset, Object event) {
        long arrival = arrivals++;
        if (event instanceof TweetEvent tweet) {
            return TweetEvent.CREATED.equals(tweet.type())
                    ? new LogEntry(partition, offset, arrival, LogEntry.Kind.CREATED, tweet.authorId(), tweet.idValue(), 0, LiveTweet.of(tweet.tweet()))
                    // A second record deleting the same tweet (the outbox relays at least once) is no event at all.
                    : deletes.first(tweet.idValue())
                    ? new LogEntry(partition, offset, arrival, LogEntry.Kind.DELETED, tweet.authorId(), tweet.idValue(), 0, null)
                    : null;
        }
        if (event instanceof FollowEvent follow) {
            return new LogEntry(partition, offset, arrival, follow.follows() ? LogEntry.Kind.FOLLOWED : LogEntry.Kind.UNFOLLOWED,
                    follow.followeeId(), follow.followerId(), follow.seq(), null);
        }
        return null;
    }

    private void remember(LogEntry entry) {
        ring.addLast(entry);
        ringByPartition[entry.partition].addLast(entry);
        while (ring.size() > config.recentRecords()) {
            LogEntry oldest = ring.pollFirst();
            ringByPartition[oldest.partition].pollFirst();
            ringFrom[oldest.partition] = oldest.offset + 1;
        }
    }

    private void dispatch(LogEntry entry) {
        switch (entry.kind) {
            case FOLLOWED, UNFOLLOWED -> {
                for (StreamSession session : index.ofAccount(entry.subject)) {
                    if (session.follows.apply(entry.author, entry.kind == LogEntry.Kind.FOLLOWED, entry.seq)) {
                        index.interest(session, entry.author);
                    }
                }
            }
            case CREATED, DELETED -> {
                long[] at = null;
                // The frame each format renders for this record, shared by the streams of that format (few formats).
                StreamFormat[] formats = new StreamFormat[2];
                String[] shared = new String[2];
                for (StreamSession session : index.interestedIn(entry.author)) {
                    if (!session.wants(entry.partition, entry.offset)
                            || !(entry.kind == LogEntry.Kind.CREATED ? session.follows.follows(entry.author) : session.follows.everFollowed(entry.author))) {
                        continue;
                    }
                    if (at == null) {
                        // Every record before this one has been handed to every stream: a valid position for all.
                        at = handedOut.clone();
                        at[entry.partition] = entry.offset + 1;
                    }
                    long[] own = session.format.carriesCursor() ? session.cursorFor(at) : null;
                    String frame;
                    if (own != null) {
                        frame = frame(session.format, entry, own);
                    } else {
                        int slot = formats[0] == null || formats[0] == session.format ? 0 : 1;
                        if (formats[slot] != session.format) {
                            formats[slot] = session.format;
                            shared[slot] = frame(session.format, entry, at);
                        }
                        frame = shared[slot];
                    }
                    session.offer(frame, entry.tweet);
                }
            }
        }
    }

    private String frame(StreamFormat format, LogEntry entry, long[] cursor) {
        String text = format.carriesCursor() ? StreamCursor.of(epoch, cursor).encode() : null;
        return entry.kind == LogEntry.Kind.CREATED ? format.tweet(entry.tweet, text) : format.delete(entry.subject, text);
    }

    /**
     * Registers the stream at this instance's current position, after its replay from PostgreSQL. {@code stored} is
     * the store consumer's position in the snapshot the replay read, {@code spans} the reader's follow spans in it,
     * and {@code resumeFrom} where the client stands after that replay (null for a stream that starts live, without a
     * cursor). The ring supplies what lies between the stored position and this instance's; it must reach back that
     * far, or the answer is NOT_COVERED.
     */
    synchronized Registration register(StreamSession session, long[] stored, List<FollowSpans.Span> spans, long[] resumeFrom,
                                       List<StreamSession.Queued> replayed) {
        if (!ready()) {
            return Registration.NOT_READY;
        }
        long[] head = handedOut.clone();
        for (int p = 0; p < head.length; p++) {
            if (stored[p] < head[p] && ringFrom[p] > stored[p]) {
                return Registration.NOT_COVERED;
            }
        }
        FollowBook book = FollowBook.fromSpans(session.accountId, spans);
        long[] cursor = resumeFrom == null ? null : resumeFrom.clone();
        for (LogEntry entry : sinceStored(stored)) {
            int p = entry.partition;
            if (entry.isFollowChange()) {
                if (entry.subject == session.accountId) {
                    book.apply(entry.author, entry.kind == LogEntry.Kind.FOLLOWED, entry.seq);
                }
                continue;
            }
            if (cursor == null || entry.offset < cursor[p]) {
                continue;
            }
            boolean owed = entry.kind == LogEntry.Kind.CREATED ? book.follows(entry.author) : book.everFollowed(entry.author);
            if (owed) {
                cursor[p] = entry.offset + 1;
                replayed.add(new StreamSession.Queued(frame(session.format, entry, cursor), entry.tweet));
            }
        }
        long[] start = head;
        if (resumeFrom != null) {
            for (int p = 0; p < start.length; p++) {
                start[p] = Math.max(start[p], cursor[p]);
            }
        }
        String caughtUp = session.format.caughtUp(session.format.carriesCursor() ? StreamCursor.of(epoch, start).encode() : null);
        if (caughtUp != null) {
            replayed.add(new StreamSession.Queued(caughtUp, null));
        }
        if (!session.begin(book, start, replayed)) {
            return Registration.CLOSED;
        }
        index.add(session);
        return Registration.REGISTERED;
    }

    /** Ring records at or after the stored position of their partition, in the order they arrived here. */
    private List<LogEntry> sinceStored(long[] stored) {
        List<List<LogEntry>> perPartition = new ArrayList<>();
        for (int p = 0; p < ringByPartition.length; p++) {
            List<LogEntry> newer = new ArrayList<>();
            for (Iterator<LogEntry> it = ringByPartition[p].descendingIterator(); it.hasNext(); ) {
                LogEntry e = it.next();
                if (e.offset < stored[p]) {
                    break;
                }
                newer.add(e);
            }
            if (!newer.isEmpty()) {
                java.util.Collections.reverse(newer);
                perPartition.add(newer);
            }
        }
        List<LogEntry> merged = new ArrayList<>();
        perPartition.forEach(merged::addAll);
        merged.sort((a, b) -> Long.compare(a.arrival, b.arrival));
        return merged;
    }

    synchronized void unregister(StreamSession session) {
        if (session.isRegistered()) {
            index.remove(session);
        }
    }

    synchronized int streams() {
        return index.streams();
    }

    synchronized long indexEntries() {
        return index.entries();
    }

    /** The account's registered streams, for closing them (a copy: closing changes the index). */
    synchronized List<StreamSession> streamsOf(long accountId) {
        return List.copyOf(index.ofAccount(accountId));
    }

    /** This instance's position: every record before it has been handed out (null until ready). */
    synchronized StreamCursor position() {
        return ready() ? StreamCursor.of(epoch, handedOut) : null;
    }
}
