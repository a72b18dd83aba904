-- Snowflake worker numbers leased by running instances, so that no two live instances make ids with the same one.
CREATE TABLE worker_leases (
    worker_id  INTEGER     PRIMARY KEY CHECK (worker_id BETWEEN 0 AND 1023),
    holder     TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
