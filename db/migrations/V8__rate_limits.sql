-- Limits every instance shares (issue 15): sign-ups and sign-in attempts per client address, posts and follow changes
-- per account. One row per limited key holding GCRA's "theoretical arrival time": a request is allowed when, after
-- adding one emission interval (the limit's period divided by its count) to max(tat, now()), tat stays within one
-- period of now(). One INSERT ... ON CONFLICT DO UPDATE ... WHERE decides and records a request in one round trip; a
-- refused request writes nothing. A row whose tat has passed says nothing (a full bucket) and is swept.
--
-- UNLOGGED: no WAL for the hottest writes Flock makes (every post passes here). A crash or a failover to a standby
-- empties the table, which forgets recent counts: limits then start again from full buckets, as after a restart.
-- fillfactor leaves room on each page so that updates stay HOT (the primary key is the only index; tat is not indexed,
-- so the sweep reads the table, which holds only the keys active within the longest period).
CREATE UNLOGGED TABLE rate_limits (
    bucket TEXT        PRIMARY KEY,
    tat    TIMESTAMPTZ NOT NULL
) WITH (fillfactor = 70);

-- Failed sign-ins per (username, client address), for the back-off of that pair: after a few free failures each
-- further attempt from that address for that username waits twice as long as the previous one. A success deletes the
-- row; a row whose last failure is older than the forgetting time says nothing and is swept. Usernames in lower case,
-- addresses as limits count them (IPv4, or an IPv6 /64).
CREATE UNLOGGED TABLE login_failures (
    username       TEXT        NOT NULL,
    address        TEXT        NOT NULL,
    failures       INTEGER     NOT NULL,
    last_failed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (username, address)
);

-- Failed sign-ins per username from every address, as a GCRA arrival time like rate_limits: the ceiling. Past it,
-- addresses that have failed recently for that username wait until it refills, while an address with no recent
-- failure (such as the owner's) still gets its attempt: distributed guessing is slowed to one guess per fresh address,
-- and nobody can lock the owner out with wrong guesses from elsewhere.
CREATE UNLOGGED TABLE login_failure_ceilings (
    username TEXT        PRIMARY KEY,
    tat      TIMESTAMPTZ NOT NULL
) WITH (fillfactor = 70);
