-- Positions in the flock.tweets log (issue 14). Every event that changes what a home timeline shows (a tweet created or
-- deleted, a follow or an unfollow) sits in the partition of the author it concerns, so one author's events are
-- ordered. A stream's cursor is a position per partition; these columns let a replay read exactly what lies after one.

-- Where each tweet's created and deleted events sit. NULL for rows stored before positions were recorded: those count
-- as older than every cursor.
-- (The partition is not stored: it follows from the author id, as Kafka's key partitioner computes it.)
ALTER TABLE tweets
    ADD COLUMN created_offset BIGINT,
    ADD COLUMN deleted_offset BIGINT;

-- Replays read one author's events after a position.
CREATE INDEX tweets_author_created_offset_idx ON tweets (author_id, created_offset) WHERE created_offset IS NOT NULL;
CREATE INDEX tweets_author_deleted_offset_idx ON tweets (author_id, deleted_offset) WHERE deleted_offset IS NOT NULL;

-- How far the store consumer has written each partition: the offset of the next record it will store. Updated in the
-- same transaction as the rows a record changes, so one snapshot of PostgreSQL is exactly a prefix of the log.
-- log_epoch is the topic's id: a recreated topic starts its offsets again.
CREATE TABLE log_positions (
    log_epoch     TEXT    NOT NULL,
    log_partition INTEGER NOT NULL,
    next_offset   BIGINT  NOT NULL,
    PRIMARY KEY (log_epoch, log_partition)
);

-- The follow graph as the log saw it: one row per period during which follower_id followed followee_id, between the
-- positions of the followed and the unfollowed events in the followee's partition (to_offset NULL while it lasts).
-- The follows table answers "who follows whom now" for REST; spans answer "did this reader follow this author when
-- that tweet entered the log", which is what a gap-free, duplicate-free replay needs. The events' outbox sequence
-- numbers order the changes of one pair, so a relayed duplicate or a late older event is recognised and ignored.
CREATE TABLE follow_spans (
    follower_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    followee_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_offset   BIGINT  NOT NULL,
    follow_seq    BIGINT  NOT NULL,
    to_offset     BIGINT,
    unfollow_seq  BIGINT,
    PRIMARY KEY (follower_id, followee_id, from_offset)
);

CREATE INDEX follow_spans_follower_idx ON follow_spans (follower_id);

-- Follows made before spans existed are open from before the first position.
INSERT INTO follow_spans (follower_id, followee_id, from_offset, follow_seq)
SELECT follower_id, followee_id, -1, 0 FROM follows;

-- Events that must reach Kafka because a transaction committed (follow, unfollow, delete). Written in that transaction
-- and relayed afterwards, so no transaction waits on the broker and a rolled-back one publishes nothing.
CREATE TABLE outbox (
    seq        BIGINT      PRIMARY KEY,
    topic      TEXT        NOT NULL,
    partition  INTEGER     NOT NULL,
    record_key TEXT        NOT NULL,
    value      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE outbox_seq;

-- Idempotency-Key reservations: the first POST with a key claims it before producing, so a retry on any instance
-- answers the same tweet and never makes a second one. tweet (the answer) is NULL while the first attempt is in flight.
CREATE TABLE idempotency_keys (
    author_id  BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    idem_key   VARCHAR(64) NOT NULL,
    tweet_id   BIGINT,
    tweet      TEXT,
    claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (author_id, idem_key)
);
