-- +goose Up
-- Payments received from customers and paid to suppliers, their allocations
-- to posted documents, and supplier payment runs. Amounts are int64 minor
-- units of the payment's currency (the write-off tolerance: of the company
-- currency). A payment is posted when stored and never changes again except
-- that a reversal marks it reversed.
CREATE TABLE payment_settings (
    company_id           INTEGER PRIMARY KEY REFERENCES companies (id),
    write_off_tolerance  INTEGER NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    updated_at           TIMESTAMP NOT NULL
);

CREATE TABLE payments (
    id                    INTEGER PRIMARY KEY,
    company_id            INTEGER NOT NULL REFERENCES companies (id),
    number                TEXT NOT NULL,
    direction             TEXT NOT NULL,
    state                 TEXT NOT NULL,
    party_id              INTEGER NOT NULL REFERENCES parties (id),
    date                  DATE NOT NULL,
    account_id            INTEGER NOT NULL REFERENCES ledger_accounts (id),
    currency              TEXT NOT NULL,
    rate                  TEXT NOT NULL,
    amount                INTEGER NOT NULL,
    reference             TEXT NOT NULL,
    end_to_end_id         TEXT,
    unallocated           INTEGER NOT NULL,
    unallocated_line      INTEGER,
    write_off             INTEGER NOT NULL,
    write_off_account_id  INTEGER REFERENCES ledger_accounts (id),
    write_off_reason      TEXT NOT NULL,
    run_id                INTEGER,
    entry_id              INTEGER NOT NULL REFERENCES ledger_entries (id),
    reversal_entry_id     INTEGER REFERENCES ledger_entries (id),
    reversal_reason       TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    UNIQUE (company_id, number),
    UNIQUE (company_id, end_to_end_id)
);
CREATE INDEX payments_date ON payments (company_id, date, id);
CREATE INDEX payments_party ON payments (company_id, party_id, date);

-- One row per document (or earlier payment's credit) a payment settles:
-- amount is what it settles of it, discount the early-payment discount
-- taken within it; entry_line is the payment entry's party line.
CREATE TABLE payment_allocations (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    payment_id         INTEGER NOT NULL REFERENCES payments (id),
    seq                INTEGER NOT NULL,
    document_id        INTEGER REFERENCES invoice_documents (id),
    credit_payment_id  INTEGER REFERENCES payments (id),
    amount             INTEGER NOT NULL,
    discount           INTEGER NOT NULL,
    entry_line         INTEGER NOT NULL,
    reconciliation_id  INTEGER,
    UNIQUE (payment_id, seq)
);
CREATE INDEX payment_allocations_document ON payment_allocations (document_id) WHERE document_id IS NOT NULL;

CREATE TABLE payment_sequences (
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    kind         TEXT NOT NULL,
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (company_id, kind, year)
);

-- Supplier payment runs: draft -> approved -> sent -> confirmed (or
-- cancelled before confirmation). Lines are the bills selected, with what
-- is to be paid and the early-payment discount taken; every line of one
-- supplier shares an end-to-end id (one bank transfer per supplier).
CREATE TABLE payment_runs (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    number          TEXT NOT NULL,
    state           TEXT NOT NULL,
    pay_date        DATE NOT NULL,
    due_by          DATE NOT NULL,
    take_discounts  BOOLEAN NOT NULL,
    supplier_id     INTEGER REFERENCES parties (id),
    account_id      INTEGER NOT NULL REFERENCES ledger_accounts (id),
    currency        TEXT NOT NULL,
    rate            TEXT NOT NULL,
    created_by      INTEGER NOT NULL,
    approved_by     INTEGER,
    approved_at     TIMESTAMP,
    sent_at         TIMESTAMP,
    confirmed_at    TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX payment_runs_date ON payment_runs (company_id, pay_date, id);

CREATE TABLE payment_run_lines (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    run_id         INTEGER NOT NULL REFERENCES payment_runs (id),
    seq            INTEGER NOT NULL,
    document_id    INTEGER NOT NULL REFERENCES invoice_documents (id),
    party_id       INTEGER NOT NULL REFERENCES parties (id),
    amount         INTEGER NOT NULL,
    discount       INTEGER NOT NULL,
    end_to_end_id  TEXT NOT NULL,
    payment_id     INTEGER REFERENCES payments (id),
    UNIQUE (run_id, seq)
);

-- +goose Down
DROP TABLE payment_run_lines;
DROP TABLE payment_runs;
DROP TABLE payment_sequences;
DROP TABLE payment_allocations;
DROP TABLE payments;
DROP TABLE payment_settings;
