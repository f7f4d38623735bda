-- +goose Up
-- A flow is a named automation or record sync written in YAML. Every apply
-- stores a new row in flow_version; flow.current_version points at the one
-- in use, so older versions stay readable and can be restored.
CREATE TABLE flow (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    current_version BIGINT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- One stored version of a flow: the YAML exactly as applied.
CREATE TABLE flow_version (
    flow_id BIGINT NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    yaml TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (flow_id, version)
);

-- +goose Down
DROP TABLE flow_version;
DROP TABLE flow;
