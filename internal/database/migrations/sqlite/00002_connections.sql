-- +goose Up
-- Data keys of the vault, each wrapped under the master key (never plaintext).
CREATE TABLE vault_key (
    id TEXT PRIMARY KEY,
    wrapped TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);

-- A connection is one authenticated account on one app: a HighLevel
-- location or a Repsly account. Secret columns hold vault ciphertexts
-- sealed with "connection:<id>:<column>" as associated data.
CREATE TABLE connection (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    app TEXT NOT NULL,
    auth_kind TEXT NOT NULL,
    base_url TEXT NOT NULL,
    location_id TEXT NOT NULL DEFAULT '',
    company_id TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '',
    scopes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    status_reason TEXT NOT NULL DEFAULT '',
    access_token TEXT NOT NULL DEFAULT '',
    refresh_token TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '',
    token_expires_at TIMESTAMP,
    refreshed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Pending OAuth installs: the state parameter (hashed) and where it leads.
CREATE TABLE oauth_state (
    state_hash TEXT PRIMARY KEY,
    connection_name TEXT NOT NULL,
    base_url TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Alert events recorded for delivery (email, webhook) by the alert part.
CREATE TABLE alert_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    connection_id BIGINT,
    message TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);

-- Admin API tokens, stored as SHA-256 hashes.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);

-- +goose Down
DROP TABLE api_token;
DROP TABLE alert_event;
DROP TABLE oauth_state;
DROP TABLE connection;
DROP TABLE vault_key;
