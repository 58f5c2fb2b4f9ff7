-- +goose Up
-- Company bank accounts and the statements imported for them. Amounts are
-- int64 minor units of the account's currency; dates are calendar dates (text
-- "YYYY-MM-DD" here, DATE on PostgreSQL).
CREATE TABLE bank_accounts (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    name               TEXT NOT NULL,
    iban               TEXT NOT NULL,
    account_number     TEXT NOT NULL,
    bic                TEXT NOT NULL,
    currency           TEXT NOT NULL,
    bank_name          TEXT NOT NULL,
    ledger_account_id  INTEGER NOT NULL REFERENCES ledger_accounts (id),
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX bank_accounts_iban ON bank_accounts (company_id, iban) WHERE iban <> '';
CREATE INDEX bank_accounts_number ON bank_accounts (company_id, account_number);
CREATE INDEX bank_accounts_name ON bank_accounts (company_id, name, id);

-- statement_key is the bank's statement id with its period, so a statement
-- imported again is recognised; file_sha256 recognises the same file.
CREATE TABLE bank_statements (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    bank_account_id    INTEGER NOT NULL REFERENCES bank_accounts (id),
    statement_id       TEXT NOT NULL,
    statement_key      TEXT NOT NULL,
    from_date          DATE,
    to_date            DATE,
    currency           TEXT NOT NULL,
    opening_balance    INTEGER,
    opening_date       DATE,
    closing_balance    INTEGER,
    closing_date       DATE,
    file_name          TEXT NOT NULL,
    file_sha256        TEXT NOT NULL,
    format             TEXT NOT NULL,
    warnings           TEXT NOT NULL,
    balance_problem    TEXT NOT NULL,
    new_lines          INTEGER NOT NULL,
    skipped_lines      INTEGER NOT NULL,
    imported_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX bank_statements_key ON bank_statements (bank_account_id, statement_key);
CREATE INDEX bank_statements_period ON bank_statements (bank_account_id, to_date, id);
CREATE INDEX bank_statements_file ON bank_statements (company_id, file_sha256);

-- dedupe_key identifies a line across overlapping statements of one account.
CREATE TABLE bank_statement_lines (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    bank_account_id    INTEGER NOT NULL REFERENCES bank_accounts (id),
    statement_id       INTEGER NOT NULL REFERENCES bank_statements (id),
    booking_date       DATE,
    value_date         DATE,
    amount             INTEGER NOT NULL,
    currency           TEXT NOT NULL,
    counterparty_name  TEXT NOT NULL,
    counterparty_iban  TEXT NOT NULL,
    counterparty_bic   TEXT NOT NULL,
    remittance         TEXT NOT NULL,
    end_to_end_id      TEXT NOT NULL,
    bank_reference     TEXT NOT NULL,
    mandate_id         TEXT NOT NULL,
    creditor_id        TEXT NOT NULL,
    bank_tx_code       TEXT NOT NULL,
    dedupe_key         TEXT NOT NULL
);
CREATE UNIQUE INDEX bank_statement_lines_dedupe ON bank_statement_lines (bank_account_id, dedupe_key);
CREATE INDEX bank_statement_lines_statement ON bank_statement_lines (statement_id, id);
CREATE INDEX bank_statement_lines_booking ON bank_statement_lines (bank_account_id, booking_date, id);

-- +goose Down
DROP TABLE bank_statement_lines;
DROP TABLE bank_statements;
DROP TABLE bank_accounts;
