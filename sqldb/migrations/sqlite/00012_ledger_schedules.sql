-- +goose Up
-- Recurring entry templates and accrual/deferral schedules. Both generate
-- journal entries per period, run by a River job; ledger_recurring_runs
-- records each generated period once (the unique key is what makes a
-- repeated run, a retried job or a second node harmless). Dates are text
-- "YYYY-MM-DD" here, DATE on PostgreSQL; amounts int64 minor units.

-- A recurring entry: lines as JSON (ledger.NewLine), repeated every month,
-- quarter or year on day_of_month (clamped to the month's last day).
-- next_run is NULL when the template has ended (end_date or max_count).
CREATE TABLE ledger_recurring (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    name           TEXT NOT NULL,
    journal_id     INTEGER NOT NULL REFERENCES ledger_journals (id),
    reference      TEXT NOT NULL,
    narration      TEXT NOT NULL,
    lines          TEXT NOT NULL,
    frequency      TEXT NOT NULL,
    day_of_month   INTEGER NOT NULL,
    start_date     DATE NOT NULL,
    end_date       DATE,
    max_count      INTEGER NOT NULL,
    run_count      INTEGER NOT NULL,
    next_run       DATE,
    mode           TEXT NOT NULL,
    active         BOOLEAN NOT NULL,
    last_run_at    TIMESTAMP,
    last_error     TEXT NOT NULL,
    last_error_at  TIMESTAMP,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX ledger_recurring_company ON ledger_recurring (company_id, name, id);
CREATE INDEX ledger_recurring_due ON ledger_recurring (next_run, company_id) WHERE active;

-- An accrual or deferral schedule: total spread over periods months, posted
-- on each month's last day from start_month, Dr expense / Cr balance account
-- (prepaid asset for a deferral, accrued liability for an accrual).
CREATE TABLE ledger_schedules (
    id                  INTEGER PRIMARY KEY,
    company_id          INTEGER NOT NULL REFERENCES companies (id),
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL,
    journal_id          INTEGER NOT NULL REFERENCES ledger_journals (id),
    expense_account_id  INTEGER NOT NULL REFERENCES ledger_accounts (id),
    balance_account_id  INTEGER NOT NULL REFERENCES ledger_accounts (id),
    total               INTEGER NOT NULL,
    periods             INTEGER NOT NULL,
    start_month         DATE NOT NULL,
    reference           TEXT NOT NULL,
    posted_count        INTEGER NOT NULL,
    next_run            DATE,
    active              BOOLEAN NOT NULL,
    last_run_at         TIMESTAMP,
    last_error          TEXT NOT NULL,
    last_error_at       TIMESTAMP,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX ledger_schedules_company ON ledger_schedules (company_id, name, id);
CREATE INDEX ledger_schedules_due ON ledger_schedules (next_run, company_id) WHERE active;

-- One row per generated period of a template (source 'recurring') or a
-- schedule (source 'schedule'), with the entry it produced; no foreign key
-- to the entry, so a generated draft can still be deleted (its period stays
-- done).
CREATE TABLE ledger_recurring_runs (
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    source       TEXT NOT NULL,
    source_id    INTEGER NOT NULL,
    period_date  DATE NOT NULL,
    entry_id     INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (source, source_id, period_date)
);

-- +goose Down
DROP TABLE ledger_recurring_runs;
DROP TABLE ledger_schedules;
DROP TABLE ledger_recurring;
