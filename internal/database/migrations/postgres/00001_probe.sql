-- +goose Up
-- probe rows back the queue self-check job: one row per check, completed
-- exactly once by the job that was enqueued with it.
CREATE TABLE probe (
    id BIGSERIAL PRIMARY KEY,
    note TEXT NOT NULL DEFAULT '',
    fail_times INTEGER NOT NULL DEFAULT 0,
    hold_attempts INTEGER NOT NULL DEFAULT 0,
    completions INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE probe;
