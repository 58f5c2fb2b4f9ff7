-- +goose Up
-- Year-end closings and budgets of the general ledger.

-- One row per closing of a fiscal year. A reopened closing keeps its row
-- (reopened_at, reversal_id set); at most one closing per year is in force.
CREATE TABLE ledger_year_closings (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    year           INTEGER NOT NULL,
    end_date       DATE NOT NULL,
    entry_id       INTEGER REFERENCES ledger_entries (id),
    reversal_id    INTEGER REFERENCES ledger_entries (id),
    reason         TEXT NOT NULL,
    reopen_reason  TEXT NOT NULL,
    closed_at      TIMESTAMP NOT NULL,
    reopened_at    TIMESTAMP
);
CREATE UNIQUE INDEX ledger_year_closings_in_force ON ledger_year_closings (company_id, year) WHERE reopened_at IS NULL;

-- Budgets per account, optional dimension value and month (month = its first
-- day), in company currency on the account's natural side (debit for assets
-- and expenses, credit for the others). action is what posting beyond the
-- budget does: stop, warn or ignore.
CREATE TABLE ledger_budgets (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL REFERENCES companies (id),
    account_id       INTEGER NOT NULL REFERENCES ledger_accounts (id),
    dimension        TEXT NOT NULL,
    dimension_value  TEXT NOT NULL,
    month            DATE NOT NULL,
    amount           INTEGER NOT NULL,
    action           TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (company_id, account_id, dimension, dimension_value, month)
);
CREATE INDEX ledger_budgets_month ON ledger_budgets (company_id, month);

-- Intercompany accounts (receivables from and payables to companies of the
-- same group, intercompany sales and costs): consolidated reports leave
-- them out.
ALTER TABLE ledger_accounts ADD COLUMN intercompany BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE ledger_accounts DROP COLUMN intercompany;
DROP TABLE ledger_budgets;
DROP TABLE ledger_year_closings;
