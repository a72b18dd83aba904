-- The follow graph. seq orders each list newest first and is the paging cursor.
CREATE TABLE follows (
    follower_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    followee_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    seq         BIGINT      GENERATED ALWAYS AS IDENTITY,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);

-- "following" pages: an account's followees, newest follow first.
CREATE INDEX follows_follower_seq_idx ON follows (follower_id, seq DESC) INCLUDE (followee_id);
-- "followers" pages and live fan-out lookups: who follows an author.
CREATE INDEX follows_followee_seq_idx ON follows (followee_id, seq DESC) INCLUDE (follower_id);
