-- Accounts. Usernames are kept as typed for display and unique ignoring case.
CREATE TABLE accounts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        VARCHAR(30)  NOT NULL,
    display_name    VARCHAR(50)  NOT NULL DEFAULT '',
    bio             VARCHAR(160) NOT NULL DEFAULT '',
    password_hash   TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Counters kept in the same transaction as the rows they count, so reading an account is one row.
    followers_count INTEGER      NOT NULL DEFAULT 0 CHECK (followers_count >= 0),
    following_count INTEGER      NOT NULL DEFAULT 0 CHECK (following_count >= 0),
    tweets_count    INTEGER      NOT NULL DEFAULT 0 CHECK (tweets_count >= 0)
);

CREATE UNIQUE INDEX accounts_username_lower_key ON accounts (lower(username));
