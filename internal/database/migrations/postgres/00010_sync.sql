-- +goose Up
-- A link pairs one Repsly client with one HighLevel contact for a flow.
-- repsly_last / ghl_last hold the last state seen or written on each side
-- (JSON), field_times the change time that set each synced field, and the
-- written_* columns identify our own last write so its echo is recognised.
CREATE TABLE sync_link (
    id BIGSERIAL PRIMARY KEY,
    flow TEXT NOT NULL,
    repsly_code TEXT,
    ghl_id TEXT,
    state TEXT NOT NULL,
    repsly_last TEXT NOT NULL DEFAULT '{}',
    ghl_last TEXT NOT NULL DEFAULT '{}',
    field_times TEXT NOT NULL DEFAULT '{}',
    ghl_written_hash TEXT NOT NULL DEFAULT '',
    ghl_written_at TIMESTAMPTZ,
    repsly_written_hash TEXT NOT NULL DEFAULT '',
    repsly_written_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (flow, repsly_code),
    UNIQUE (flow, ghl_id)
);

-- Polling cursors, advanced only in the transaction that records the
-- page's work.
CREATE TABLE sync_cursor (
    flow TEXT NOT NULL,
    source TEXT NOT NULL,
    cursor TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (flow, source)
);

-- Inbound webhooks, stored raw before they are answered.
CREATE TABLE inbox (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    location_id TEXT NOT NULL DEFAULT '',
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ,
    status TEXT NOT NULL DEFAULT 'pending',
    error TEXT NOT NULL DEFAULT '',
    UNIQUE (source, event_id)
);

-- Activity (Repsly client notes, visits) copied to HighLevel notes, once each.
CREATE TABLE activity_link (
    flow TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    ghl_contact_id TEXT NOT NULL DEFAULT '',
    ghl_note_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (flow, kind, source_id)
);

-- Run history: one row per run (backfill, poll page, webhook, replay).
CREATE TABLE run (
    id BIGSERIAL PRIMARY KEY,
    flow TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    stats TEXT NOT NULL DEFAULT '{}',
    error TEXT NOT NULL DEFAULT '',
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

-- What a run did to each record, with a redacted request summary.
CREATE TABLE run_record (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL,
    flow TEXT NOT NULL,
    side TEXT NOT NULL,
    record_key TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    status_code INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX run_record_run ON run_record (run_id);

-- +goose Down
DROP TABLE run_record;
DROP TABLE run;
DROP TABLE activity_link;
DROP TABLE inbox;
DROP TABLE sync_cursor;
DROP TABLE sync_link;
