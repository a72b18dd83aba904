-- OAuth 2 client applications registered through the Mastodon API (POST /api/v1/apps). The secret is kept only as
-- its SHA-256: it is 256 random bits, so a slow hash adds nothing.
CREATE TABLE oauth_applications (
    id                 BIGINT       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name               VARCHAR(100) NOT NULL,
    website            VARCHAR(500),
    -- One registered redirect URI per line, as Mastodon reports them in redirect_uri.
    redirect_uris      TEXT         NOT NULL,
    scopes             VARCHAR(500) NOT NULL,
    client_id          VARCHAR(64)  NOT NULL UNIQUE,
    client_secret_hash VARCHAR(64)  NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Every issued token belongs to a session, so that it can be revoked before it expires: a token names its session
-- (claim "sid") and each instance refuses tokens whose session it has seen revoked here. A session without an
-- account is an application's own token (OAuth client_credentials); without an application it is Flock's own sign-in.
CREATE TABLE sessions (
    id             UUID         PRIMARY KEY,
    account_id     BIGINT       REFERENCES accounts (id) ON DELETE CASCADE,
    application_id BIGINT       REFERENCES oauth_applications (id) ON DELETE CASCADE,
    -- The OAuth scopes granted, space-separated; NULL for Flock's own sessions, which may do everything.
    scopes         VARCHAR(500),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ  NOT NULL,
    revoked_at     TIMESTAMPTZ
);

-- "Sign out everywhere" revokes an account's live sessions.
CREATE INDEX sessions_account_live_idx ON sessions (account_id) WHERE revoked_at IS NULL;
-- Every instance polls for sessions revoked since it last looked.
CREATE INDEX sessions_revoked_at_idx ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
-- Expired sessions are swept.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- OAuth authorization codes between the consent form and POST /oauth/token: single use, short-lived, stored hashed.
CREATE TABLE oauth_authorization_codes (
    code_hash      VARCHAR(64)  PRIMARY KEY,
    application_id BIGINT       NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
    account_id     BIGINT       NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    redirect_uri   TEXT         NOT NULL,
    scopes         VARCHAR(500) NOT NULL,
    -- PKCE (RFC 7636): the S256 challenge, when the client sent one.
    code_challenge VARCHAR(128),
    expires_at     TIMESTAMPTZ  NOT NULL
);
