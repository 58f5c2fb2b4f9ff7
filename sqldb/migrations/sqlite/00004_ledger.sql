-- +goose Up
-- The general ledger. Every table carries company_id; amounts are int64 minor
-- units; dates are calendar dates (text "YYYY-MM-DD" here, DATE on PostgreSQL).

-- Per-company ledger settings: the month the fiscal year starts in.
CREATE TABLE ledger_settings (
    company_id          INTEGER PRIMARY KEY REFERENCES companies (id),
    fiscal_start_month  INTEGER NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

-- The chart of accounts, a tree per company. min_balance and max_balance
-- are optional limits on the balance (debit - credit, company currency).
CREATE TABLE ledger_accounts (
    id                   INTEGER PRIMARY KEY,
    company_id           INTEGER NOT NULL REFERENCES companies (id),
    code                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    type                 TEXT NOT NULL,
    subtype              TEXT NOT NULL,
    parent_id            INTEGER REFERENCES ledger_accounts (id),
    currency             TEXT NOT NULL,
    blocked              BOOLEAN NOT NULL,
    reconcilable         BOOLEAN NOT NULL,
    required_dimensions  TEXT NOT NULL,
    min_balance          INTEGER,
    max_balance          INTEGER,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX ledger_accounts_parent ON ledger_accounts (parent_id);

-- Fiscal years and their periods (monthly by default).
CREATE TABLE ledger_fiscal_years (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    year        INTEGER NOT NULL,
    start_date  DATE NOT NULL,
    end_date    DATE NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (company_id, year)
);

CREATE TABLE ledger_periods (
    id              INTEGER PRIMARY KEY,
    fiscal_year_id  INTEGER NOT NULL REFERENCES ledger_fiscal_years (id),
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    number          INTEGER NOT NULL,
    start_date      DATE NOT NULL,
    end_date        DATE NOT NULL,
    UNIQUE (fiscal_year_id, number)
);

-- Lock dates: nothing may be posted on or before lock_date, for all journals
-- (journal_type '') or for one journal type.
CREATE TABLE ledger_lock_dates (
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    journal_type  TEXT NOT NULL,
    lock_date     DATE NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, journal_type)
);

CREATE TABLE ledger_journals (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    blocked     BOOLEAN NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

-- The last number given per journal and fiscal year. Posting updates the row
-- inside its transaction, which locks it: numbers are gapless and never reused.
CREATE TABLE ledger_sequences (
    journal_id   INTEGER NOT NULL REFERENCES ledger_journals (id),
    fiscal_year  INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (journal_id, fiscal_year)
);

-- Journal entries. Drafts and pending entries keep their lines as JSON in
-- draft_lines (a pending entry voids itself at expires_at); posted
-- entries have their lines in ledger_lines and never change again, except
-- reversed_by_id, set once when a reversal is posted.
CREATE TABLE ledger_entries (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL REFERENCES companies (id),
    journal_id       INTEGER NOT NULL REFERENCES ledger_journals (id),
    state            TEXT NOT NULL,
    number           TEXT,
    fiscal_year      INTEGER,
    date             DATE NOT NULL,
    reference        TEXT NOT NULL,
    narration        TEXT NOT NULL,
    amount           INTEGER NOT NULL,
    line_count       INTEGER NOT NULL,
    reverses_id      INTEGER REFERENCES ledger_entries (id),
    reversed_by_id   INTEGER REFERENCES ledger_entries (id),
    reason           TEXT NOT NULL,
    idempotency_key  TEXT,
    content_hash     TEXT NOT NULL,
    draft_lines      TEXT,
    posted_at        TIMESTAMP,
    expires_at       TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ledger_entries_idempotency ON ledger_entries (company_id, idempotency_key);
CREATE UNIQUE INDEX ledger_entries_number ON ledger_entries (journal_id, number);
CREATE INDEX ledger_entries_company_date ON ledger_entries (company_id, date, id);
CREATE INDEX ledger_entries_journal_date ON ledger_entries (journal_id, date, id);
CREATE INDEX ledger_entries_expiry ON ledger_entries (expires_at);

-- Posted lines only, append-only. The account index serves statements.
CREATE TABLE ledger_lines (
    entry_id        INTEGER NOT NULL REFERENCES ledger_entries (id),
    line_no         INTEGER NOT NULL,
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    account_id      INTEGER NOT NULL REFERENCES ledger_accounts (id),
    date            DATE NOT NULL,
    currency        TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    company_amount  INTEGER NOT NULL,
    rate            TEXT NOT NULL,
    party_id        INTEGER,
    dimensions      TEXT NOT NULL,
    tax_code        TEXT NOT NULL,
    due_date        DATE,
    memo            TEXT NOT NULL,
    PRIMARY KEY (entry_id, line_no)
) WITHOUT ROWID;
CREATE INDEX ledger_lines_account ON ledger_lines (account_id, date, entry_id, line_no);

-- Maintained balances: debit and credit totals per account, calendar span
-- (span 'd' = one day, 'm' = one month, 'y' = one year, start = its first
-- day) and currency. A balance at any date adds at most the years before it,
-- the months before it in its year and the days up to it in its month; the
-- key order (account, span, start) lets each of the three be one index range.
CREATE TABLE ledger_balances (
    account_id      INTEGER NOT NULL REFERENCES ledger_accounts (id),
    currency        TEXT NOT NULL,
    span            TEXT NOT NULL,
    start           DATE NOT NULL,
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    debit           INTEGER NOT NULL,
    credit          INTEGER NOT NULL,
    company_debit   INTEGER NOT NULL,
    company_credit  INTEGER NOT NULL,
    lines           INTEGER NOT NULL,
    PRIMARY KEY (account_id, span, start, currency)
) WITHOUT ROWID;
CREATE INDEX ledger_balances_company ON ledger_balances (company_id, span, start);

-- Amounts of pending (two-phase) entries per account and currency: they
-- count against balance limits until posted or voided.
CREATE TABLE ledger_pending (
    account_id      INTEGER NOT NULL REFERENCES ledger_accounts (id),
    currency        TEXT NOT NULL,
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    debit           INTEGER NOT NULL,
    credit          INTEGER NOT NULL,
    company_debit   INTEGER NOT NULL,
    company_credit  INTEGER NOT NULL,
    lines           INTEGER NOT NULL,
    PRIMARY KEY (account_id, currency)
) WITHOUT ROWID;
CREATE INDEX ledger_pending_company ON ledger_pending (company_id);

-- +goose Down
DROP TABLE ledger_pending;
DROP TABLE ledger_balances;
DROP TABLE ledger_lines;
DROP TABLE ledger_entries;
DROP TABLE ledger_sequences;
DROP TABLE ledger_journals;
DROP TABLE ledger_lock_dates;
DROP TABLE ledger_periods;
DROP TABLE ledger_fiscal_years;
DROP TABLE ledger_accounts;
DROP TABLE ledger_settings;
