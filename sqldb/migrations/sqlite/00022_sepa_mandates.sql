-- +goose Up
-- SEPA direct debit mandates signed by customers, direct debit runs that
-- collect open customer invoices under them, and the statuses banks report
-- on our payments in pain.002 files. Amounts are int64 minor units.
--
-- sequence is the sequence type of the mandate's next collection: FRST
-- until one was collected, then RCUR; OOFF for a one-off mandate; FNAL when
-- the next collection is the last. state is active, revoked or ended (after
-- an OOFF or FNAL collection).
CREATE TABLE party_mandates (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    party_id        INTEGER NOT NULL REFERENCES parties (id),
    reference       TEXT NOT NULL,
    iban            TEXT NOT NULL,
    bic             TEXT NOT NULL,
    signed_on       DATE NOT NULL,
    scheme          TEXT NOT NULL,
    sequence        TEXT NOT NULL,
    state           TEXT NOT NULL,
    revoke_reason   TEXT NOT NULL,
    collections     INTEGER NOT NULL,
    last_collected  DATE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (company_id, reference)
);
CREATE INDEX party_mandates_party ON party_mandates (company_id, party_id, id);

-- Direct debit runs: draft -> approved -> exported -> confirmed (or
-- cancelled before confirmation). One line per invoice collected, each its
-- own collection with its own end-to-end id and the mandate's sequence type
-- at the time the run was made.
CREATE TABLE debit_runs (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL REFERENCES companies (id),
    number           TEXT NOT NULL,
    state            TEXT NOT NULL,
    collection_date  DATE NOT NULL,
    due_by           DATE NOT NULL,
    account_id       INTEGER NOT NULL REFERENCES ledger_accounts (id),
    currency         TEXT NOT NULL,
    created_by       INTEGER NOT NULL,
    approved_by      INTEGER,
    approved_at      TIMESTAMP,
    exported_at      TIMESTAMP,
    confirmed_at     TIMESTAMP,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX debit_runs_date ON debit_runs (company_id, collection_date, id);

CREATE TABLE debit_run_lines (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    run_id         INTEGER NOT NULL REFERENCES debit_runs (id),
    seq            INTEGER NOT NULL,
    document_id    INTEGER NOT NULL REFERENCES invoice_documents (id),
    party_id       INTEGER NOT NULL REFERENCES parties (id),
    mandate_id     INTEGER NOT NULL REFERENCES party_mandates (id),
    sequence_type  TEXT NOT NULL,
    amount         INTEGER NOT NULL,
    end_to_end_id  TEXT NOT NULL,
    payment_id     INTEGER REFERENCES payments (id),
    UNIQUE (run_id, seq)
);
CREATE INDEX debit_run_lines_document ON debit_run_lines (company_id, document_id);

-- What the bank reported on a payment (pain.002), newest last: ACCP, ACSC,
-- RJCT … with the reason and the report's message id.
CREATE TABLE payment_bank_statuses (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    payment_id     INTEGER NOT NULL REFERENCES payments (id),
    end_to_end_id  TEXT NOT NULL,
    status         TEXT NOT NULL,
    reason_code    TEXT NOT NULL,
    reason_text    TEXT NOT NULL,
    message_id     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX payment_bank_statuses_payment ON payment_bank_statuses (company_id, payment_id, id);

-- +goose Down
DROP TABLE payment_bank_statuses;
DROP TABLE debit_run_lines;
DROP TABLE debit_runs;
DROP TABLE party_mandates;
