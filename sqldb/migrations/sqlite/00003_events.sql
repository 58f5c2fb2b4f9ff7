-- +goose Up
-- Webhooks: a company's HTTP endpoints that receive its changes, signed with
-- the secret (kept in clear because signing needs it; never shown again after
-- creation and never written to the change log).
CREATE TABLE webhooks (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    url          TEXT NOT NULL,
    description  TEXT NOT NULL,
    event_types  TEXT NOT NULL,   -- JSON array of patterns: "*", "user.*", "user.create"
    secret       TEXT NOT NULL,
    active       BOOLEAN NOT NULL,
    start_seq    INTEGER NOT NULL, -- change log position at creation: later changes only
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_company ON webhooks (company_id, id);

-- One change to deliver to one webhook, and where its delivery stands.
CREATE TABLE webhook_deliveries (
    id                INTEGER PRIMARY KEY,
    webhook_id        INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    company_id        INTEGER NOT NULL,
    seq               INTEGER NOT NULL,
    event_type        TEXT NOT NULL,
    payload           TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'dead')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   TIMESTAMP,
    first_attempt_at  TIMESTAMP,
    last_status_code  INTEGER,
    last_error        TEXT NOT NULL DEFAULT '',
    last_response     TEXT NOT NULL DEFAULT '',
    last_duration_ms  INTEGER,
    replay_of         INTEGER REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
-- Fan-out creates at most one delivery per change and webhook; replays are extra.
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (webhook_id, seq) WHERE replay_of IS NULL;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state IN ('pending', 'failed');
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (company_id, webhook_id, id);
CREATE INDEX webhook_deliveries_replay ON webhook_deliveries (replay_of);

-- Every HTTP attempt of a delivery.
CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    at           TIMESTAMP NOT NULL,
    status_code  INTEGER,
    error        TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    UNIQUE (delivery_id, number)
);

-- How far each consumer of the change log ("webhooks", "nats") has read.
CREATE TABLE event_cursors (
    consumer    TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE event_cursors;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
