-- +goose Up
-- Companies: every business row carries one. Installation-wide rows (users,
-- roles) do not.
CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    currency    TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- The change log. One row per create, update, delete or state change of
-- business data, appended in the same transaction as the change, hash-chained.
CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,
    at             TIMESTAMP NOT NULL,
    company_id     INTEGER,
    actor_user_id  INTEGER,
    actor_token_id INTEGER,
    actor_name     TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    action         TEXT NOT NULL,
    old_values     TEXT NOT NULL,
    new_values     TEXT NOT NULL,
    reason         TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
CREATE INDEX audit_log_company ON audit_log (company_id, seq);

-- The head of the chain: the last sequence number and hash. Appending locks
-- this one row for the rest of the appending transaction.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Answers to POST requests that carried an Idempotency-Key, kept so a retry
-- gets the first answer instead of a second write.
CREATE TABLE idempotency_keys (
    principal     TEXT NOT NULL,
    idem_key           TEXT NOT NULL,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    body_hash     TEXT NOT NULL,
    status        INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    response      BLOB NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE companies;
