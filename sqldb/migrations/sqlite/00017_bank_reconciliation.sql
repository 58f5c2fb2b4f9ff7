-- +goose Up
-- A bank statement line is reconciled when the ledger holds the movement it
-- shows: an entry posted for it (settling open items, a bank fee, a manual
-- counter account) or an entry already posted on the bank account (a payment
-- of the payments module). A reconciliation is never edited: undoing it sets
-- undone_at (and reverses what it posted), so the line can be reconciled
-- again and the history stays. At most one live reconciliation per statement
-- line and per ledger bank line.
CREATE TABLE bank_reconciliations (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    bank_account_id    INTEGER NOT NULL REFERENCES bank_accounts (id),
    statement_line_id  INTEGER NOT NULL REFERENCES bank_statement_lines (id),
    kind               TEXT NOT NULL,
    method             TEXT NOT NULL,
    entry_id           INTEGER NOT NULL REFERENCES ledger_entries (id),
    line_no            INTEGER NOT NULL,
    posted             BOOLEAN NOT NULL,
    confidence         INTEGER NOT NULL,
    matches            TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    undone_at          TIMESTAMP,
    undone_by          TEXT NOT NULL DEFAULT '',
    undo_reason        TEXT NOT NULL DEFAULT '',
    reversal_entry_id  INTEGER REFERENCES ledger_entries (id)
);
CREATE UNIQUE INDEX bank_reconciliations_line ON bank_reconciliations (statement_line_id) WHERE undone_at IS NULL;
CREATE UNIQUE INDEX bank_reconciliations_entry_line ON bank_reconciliations (entry_id, line_no) WHERE undone_at IS NULL;
CREATE INDEX bank_reconciliations_company ON bank_reconciliations (company_id, bank_account_id, created_at);

-- +goose Down
DROP TABLE bank_reconciliations;
