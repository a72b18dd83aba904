-- Single-use tickets for opening a live stream (POST /api/stream/tickets): a browser puts the ticket, not its long-lived
-- token, in the stream URL, where access logs may keep it. Only a hash is stored; a ticket is valid for seconds and
-- redeemed once, on whichever instance the stream opens.
CREATE TABLE stream_tickets (
    ticket_hash      TEXT        PRIMARY KEY,
    account_id       BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    session_id       TEXT,
    token_expires_at TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    used_at          TIMESTAMPTZ
);

CREATE INDEX stream_tickets_expires_idx ON stream_tickets (expires_at);
