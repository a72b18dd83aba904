-- Tweets, written only by the store consumer from the flock.tweets log. Ids are Snowflake ids made at acceptance.
CREATE TABLE tweets (
    id              BIGINT       PRIMARY KEY,
    author_id       BIGINT       NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    text            VARCHAR(280) NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    idempotency_key VARCHAR(64),
    deleted_at      TIMESTAMPTZ
);

-- Author pages and the home timeline (followees' tweets merged newest first, keyset paging on id).
CREATE INDEX tweets_author_id_idx ON tweets (author_id, id DESC) WHERE deleted_at IS NULL;
-- Idempotency-Key replays: the first tweet an author posted with a key in the last 24 hours. Not unique: a key may
-- be used again once its 24 hours are over.
CREATE INDEX tweets_author_idempotency_key_idx ON tweets (author_id, idempotency_key, created_at) WHERE idempotency_key IS NOT NULL;
