package dev.flock.live;

import dev.flock.follow.FollowSpans;
import dev.flock.platform.TimelineLog;
import dev.flock.timeline.StreamCursor;
import dev.flock.tweet.TweetReads;
import dev.flock.tweet.TweetView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gap-free, duplicate-free resume from a cursor. In rounds, each one snapshot of PostgreSQL (the store consumer's
 * position and the rows it wrote, consistent with each other): the reader's own and followees' creates and deletes
 * after the client's position, at most a batch per partition, in log order per partition, written before the next
 * round is read. When PostgreSQL has nothing more, the stream registers with the live fan-out ({@link LiveLog}),
 * whose ring supplies what lies between the stored position and the live one; then caught-up, then live.
 *
 * <p>Reads go through the plain reactive pool rather than Hibernate Reactive sessions: they run in WebSocket
 * callbacks, whose Vert.x context is not a request's (sessions there sometimes never completed).
 */
@ApplicationScoped
class StreamReplay {

    /** How the replay ended. */
    enum Outcome { LIVE, RESET, CLOSED, UNAVAILABLE }

    private static final Duration COVERAGE_POLL = Duration.ofMillis(200);
    private static final long NO_DEADLINE = 0;
    private static final int CHUNK = 32;

    /**
     * One round: for each follow span (and the reader's own tweets) the creates inside it after the position, for each
     * author ever followed the deletes after the position of tweets created before the client's original cursor; the
     * first {@code $7} per partition in log order. $1-$4 describe the spans, $5 the position, $6 the original cursor.
     */
    private static final String ROUND = """
            WITH s AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::bigint[]) AS s(author_id, part, from_off, to_off)),
            ev AS (
              SELECT c.id, s.part, c.created_offset AS off, false AS deleted
              FROM s CROSS JOIN LATERAL (
                SELECT x.id, x.created_offset FROM tweets x
                WHERE x.author_id = s.author_id AND x.deleted_at IS NULL
                  AND x.created_offset >= ($5::bigint[])[s.part + 1] AND x.created_offset > s.from_off AND x.created_offset < s.to_off
                ORDER BY x.created_offset LIMIT $7) c
              UNION ALL
              SELECT d.id, f.part, d.deleted_offset, true
              FROM (SELECT author_id, part, min(from_off) AS first_from FROM s GROUP BY author_id, part) f CROSS JOIN LATERAL (
                SELECT x.id, x.deleted_offset FROM tweets x
                WHERE x.author_id = f.author_id AND x.deleted_offset >= ($5::bigint[])[f.part + 1] AND x.deleted_offset > f.first_from
                  AND coalesce(x.created_offset, -1) < ($6::bigint[])[f.part + 1]
                ORDER BY x.deleted_offset LIMIT $7) d),
            ranked AS (SELECT ev.*, row_number() OVER (PARTITION BY part ORDER BY off) AS rank FROM ev)
            SELECT r.part, r.off, r.deleted, %s
            FROM ranked r JOIN tweets t ON t.id = r.id JOIN accounts a ON a.id = t.author_id
            WHERE r.rank <= $7
            ORDER BY r.part, r.off""".formatted(TweetReads.COLUMNS);

    @Inject
    Pool pool;

    @Inject
    LiveLog live;

    @Inject
    TimelineLog log;

    @Inject
    LiveConfig config;

    @Inject
    LiveMetrics metrics;

    @Inject
    ReplayGate gate;

    @Inject
    ReplayPacer pacer;

    /** What one snapshot said: the stored position, the reader's spans, and the frames after the position. */
    private record Round(long[] stored, List<FollowSpans.Span> spans, List<Event> events) {
    }

    private record Event(int partition, long offset, boolean deleted, TweetView tweet) {
    }

    /** Replays from the cursor (null: start live; always so for formats without cursors), then registers the stream. */
    Uni<Outcome> replay(StreamSession session, StreamCursor cursor) {
        if (cursor != null && !cursor.belongsTo(log.epoch(), log.partitions())) {
            return reset(session, "The cursor belongs to another log (the topic was recreated or repartitioned)");
        }
        long[] original = cursor == null ? null : cursor.positions();
        return rounds(session, original, original == null ? null : original.clone(), 0, NO_DEADLINE)
                .onFailure(ReplayGate.Full.class).recoverWithItem(Outcome.UNAVAILABLE);
    }

    private Uni<Outcome> rounds(StreamSession session, long[] original, long[] position, int sent, long deadline) {
        // A client that left while its open waited for a turn costs nothing more.
        if (session.isClosed() || !session.sink.isOpen()) {
            return Uni.createFrom().item(Outcome.CLOSED);
        }
        // Opens take turns to read PostgreSQL (ReplayGate), one round at a time: a turn is held for the read only,
        // never while frames go to a client, which may be slow. A round is read only once the pacer has room for it,
        // so a storm of opens waits with nothing read rather than holding rounds it may not send yet.
        long paced = pacer.untilTurn();
        Uni<Void> turn = paced == 0 ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(paced));
        return turn.chain(gate::enter).chain(() -> read(session.accountId, original, position).eventually(gate::leave)).chain(round -> {
            boolean more = false;
            if (position != null) {
                int[] perPartition = new int[position.length];
                round.events().forEach(e -> perPartition[e.partition()]++);
                for (int p = 0; p < position.length; p++) {
                    if (perPartition[p] >= config.replayBatch()) {
                        more = true;
                    }
                }
                if (sent + round.events().size() > config.replayMaxFrames()) {
                    return reset(session, "More was missed than a stream replays; reload the timeline");
                }
                List<String> frames = frames(session.format, round, position, perPartition);
                boolean exhausted = !more;
                return send(session, frames).chain(() -> exhausted
                        ? register(session, round, position, sent + frames.size(), original, deadline)
                        : rounds(session, original, position, sent + frames.size(), deadline));
            }
            return register(session, round, null, sent, null, deadline);
        });
    }

    private Uni<Outcome> register(StreamSession session, Round round, long[] position, int sent, long[] original, long deadline) {
        List<StreamSession.Queued> rest = new ArrayList<>();
        LiveLog.Registration registration = live.register(session, round.stored(), round.spans(), position, rest);
        switch (registration) {
            case REGISTERED -> {
                metrics.replayed(sent + rest.size() - 1);
                session.flush();
                return Uni.createFrom().item(Outcome.LIVE);
            }
            case CLOSED -> {
                return Uni.createFrom().item(Outcome.CLOSED);
            }
            default -> {
                // The wait for coverage starts with the first round that needed it (not with the wait for a turn).
                long due = deadline == NO_DEADLINE ? System.nanoTime() + config.coverageWait().toNanos() : deadline;
                if (System.nanoTime() - due > 0) {
                    // The store consumer lags further behind than this instance's ring reaches, or the instance is not
                    // reading the log yet: an exact replay cannot be assembled here now.
                    return position == null ? Uni.createFrom().item(Outcome.UNAVAILABLE)
                            : reset(session, "This instance cannot replay from that cursor right now; reload the timeline");
                }
                return Uni.createFrom().voidItem().onItem().delayIt().by(COVERAGE_POLL)
                        .chain(() -> rounds(session, original, position, sent, due));
            }
        }
    }

    /**
     * The round's frames in log order per partition (across partitions, creates by tweet id), each with the cursor the
     * client holds after it; moves {@code position} past them, and for a partition PostgreSQL has no more of, to the
     * stored position.
     */
    private List<String> frames(StreamFormat format, Round round, long[] position, int[] perPartition) {
        String epoch = log.epoch();
        List<List<Event>> byPartition = new ArrayList<>();
        for (int p = 0; p < position.length; p++) {
            byPartition.add(new ArrayList<>());
        }
        round.events().forEach(e -> byPartition.get(e.partition()).add(e));
        int[] next = new int[position.length];
        List<String> frames = new ArrayList<>(round.events().size());
        while (true) {
            int pick = -1;
            for (int p = 0; p < position.length; p++) {
                if (next[p] < byPartition.get(p).size()
                        && (pick < 0 || order(byPartition.get(p).get(next[p])) < order(byPartition.get(pick).get(next[pick])))) {
                    pick = p;
                }
            }
            if (pick < 0) {
                break;
            }
            Event e = byPartition.get(pick).get(next[pick]++);
            position[pick] = e.offset() + 1;
            String cursor = StreamCursor.of(epoch, position).encode();
            frames.add(e.deleted() ? format.delete(e.tweet().idValue(), cursor) : format.tweet(LiveTweet.of(e.tweet()), cursor));
        }
        for (int p = 0; p < position.length; p++) {
            if (perPartition[p] < config.replayBatch()) {
                position[p] = Math.max(position[p], round.stored()[p]);
            }
        }
        return frames;
    }

    private static long order(Event e) {
        return e.deleted() ? Long.MIN_VALUE : e.tweet().idValue();
    }

    /**
     * Writes a round's frames in order (a WebSocket keeps the order of writes) and completes when all are written;
     * frames go back to back, with one wait per chunk rather than one per frame.
     */
    private Uni<Void> send(StreamSession session, List<String> frames) {
        return send(session, frames, 0);
    }

    /**
     * In chunks of {@link #CHUNK}, each written back to back and awaited as one: a replay never holds its connection's
     * event loop for long, so the live frames of other streams on that loop interleave with it; chunks wait for their
     * turn at the instance's replay rate ({@link ReplayPacer}).
     */
    private Uni<Void> send(StreamSession session, List<String> frames, int from) {
        if (from >= frames.size() || session.isClosed()) {
            return Uni.createFrom().voidItem();
        }
        int to = Math.min(frames.size(), from + CHUNK);
        long wait = pacer.reserve(to - from);
        Uni<Void> turn = wait == 0 ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(wait));
        return turn.chain(() -> {
            List<Uni<Void>> writes = new ArrayList<>(to - from);
            for (String frame : frames.subList(from, to)) {
                writes.add(session.sink.send(frame));
            }
            return Uni.join().all(writes).andFailFast();
        }).chain(() -> send(session, frames, to));
    }

    private Uni<Outcome> reset(StreamSession session, String reason) {
        metrics.reset();
        return session.sink.send(FlockFrames.reset(reason)).replaceWith(Outcome.RESET);
    }

    /** One consistent snapshot: stored positions, the reader's spans, and (with a position) the next events. */
    private Uni<Round> read(long reader, long[] original, long[] position) {
        return pool.withTransaction(connection -> connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .chain(() -> storedPositions(connection))
                .chain(stored -> FollowSpans.of(connection, reader).chain(spans -> position == null
                        ? Uni.createFrom().item(new Round(stored, spans, List.of()))
                        : events(connection, reader, spans, original, position).map(events -> new Round(stored, spans, events)))));
    }

    private Uni<long[]> storedPositions(SqlConnection connection) {
        return connection.preparedQuery("SELECT log_partition, next_offset FROM log_positions WHERE log_epoch = $1")
                .execute(Tuple.of(log.epoch()))
                .map(rows -> {
                    long[] stored = new long[log.partitions()];
                    for (Row row : rows) {
                        if (row.getInteger(0) < stored.length) {
                            stored[row.getInteger(0)] = row.getLong(1);
                        }
                    }
                    return stored;
                });
    }

    private Uni<List<Event>> events(SqlConnection connection, long reader, List<FollowSpans.Span> spans, long[] original, long[] position) {
        List<Long> authors = new ArrayList<>();
        List<Integer> parts = new ArrayList<>();
        List<Long> froms = new ArrayList<>();
        List<Long> tos = new ArrayList<>();
        authors.add(reader);
        parts.add(log.partitionOf(reader));
        froms.add(-1L);
        tos.add(Long.MAX_VALUE);
        for (FollowSpans.Span span : spans) {
            if (!span.isEmpty()) {
                authors.add(span.followee());
                parts.add(log.partitionOf(span.followee()));
                froms.add(span.fromOffset());
                tos.add(span.toOffset() == null ? Long.MAX_VALUE : span.toOffset());
            }
        }
        Tuple args = Tuple.tuple()
                .addArrayOfLong(authors.toArray(Long[]::new))
                .addArrayOfInteger(parts.toArray(Integer[]::new))
                .addArrayOfLong(froms.toArray(Long[]::new))
                .addArrayOfLong(tos.toArray(Long[]::new))
                .addArrayOfLong(boxed(position))
                .addArrayOfLong(boxed(original))
                .addInteger(config.replayBatch());
        return connection.preparedQuery(ROUND).execute(args).map(rows -> {
            List<Event> events = new ArrayList<>(rows.rowCount());
            for (Row r : rows) {
                events.add(new Event(r.getInteger(0), r.getLong(1), r.getBoolean(2),
                        TweetReads.view(new Object[]{r.getLong(3), r.getLong(4), r.getString(5), r.getString(6), r.getString(7), r.getOffsetDateTime(8)})));
            }
            return events;
        });
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
