-- +goose Up
-- Open items: the lines on reconcilable receivable and payable accounts
-- (every reconcilable account that is not a bank or cash account), with
-- what is still open of them, and the matches that settle them.
--
-- amount and company_amount are the line's signed amounts (debit positive);
-- residual and company_residual what no match has settled yet, with the same
-- sign. settled_on is the date of the match that settled the line fully,
-- NULL while it is open: aging at a date reads the lines open on it.
CREATE TABLE ledger_open_items (
    entry_id          INTEGER NOT NULL REFERENCES ledger_entries (id),
    line_no           INTEGER NOT NULL,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    account_id        INTEGER NOT NULL REFERENCES ledger_accounts (id),
    party_id          INTEGER,
    date              DATE NOT NULL,
    due_date          DATE,
    currency          TEXT NOT NULL,
    amount            INTEGER NOT NULL,
    company_amount    INTEGER NOT NULL,
    residual          INTEGER NOT NULL,
    company_residual  INTEGER NOT NULL,
    settled_on        DATE,
    PRIMARY KEY (entry_id, line_no)
) WITHOUT ROWID;
CREATE INDEX ledger_open_items_open ON ledger_open_items (company_id, account_id, party_id) WHERE settled_on IS NULL;
CREATE INDEX ledger_open_items_settled ON ledger_open_items (company_id, settled_on);

-- One row per pair of a debit and a credit line settled against each other.
-- A reconciliation (one call that matched a set of lines) shares its
-- reconciliation id, the id of its first match. amount is in the lines'
-- shared currency (company currency when they differ); debit_amount and
-- credit_amount are what each side lost in its own currency, debit_company
-- and credit_company in company currency (all positive). The company parts
-- differ when the rate moved, and fx_entry_id then names the realised
-- exchange difference entry posted with the match.
CREATE TABLE ledger_matches (
    id                INTEGER PRIMARY KEY,
    reconciliation_id INTEGER NOT NULL,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    account_id        INTEGER NOT NULL REFERENCES ledger_accounts (id),
    date              DATE NOT NULL,
    debit_entry_id    INTEGER NOT NULL,
    debit_line_no     INTEGER NOT NULL,
    credit_entry_id   INTEGER NOT NULL,
    credit_line_no    INTEGER NOT NULL,
    currency          TEXT NOT NULL,
    amount            INTEGER NOT NULL,
    debit_amount      INTEGER NOT NULL,
    debit_company     INTEGER NOT NULL,
    credit_amount     INTEGER NOT NULL,
    credit_company    INTEGER NOT NULL,
    fx_entry_id       INTEGER REFERENCES ledger_entries (id),
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX ledger_matches_debit ON ledger_matches (debit_entry_id, debit_line_no);
CREATE INDEX ledger_matches_credit ON ledger_matches (credit_entry_id, credit_line_no);
CREATE INDEX ledger_matches_reconciliation ON ledger_matches (reconciliation_id);
CREATE INDEX ledger_matches_company_date ON ledger_matches (company_id, date);

-- Lines posted before this migration become open items, unsettled.
INSERT INTO ledger_open_items (entry_id, line_no, company_id, account_id, party_id, date, due_date, currency,
    amount, company_amount, residual, company_residual, settled_on)
SELECT l.entry_id, l.line_no, l.company_id, l.account_id, l.party_id, l.date, l.due_date, l.currency,
    l.amount, l.company_amount, l.amount, l.company_amount, NULL
FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
WHERE a.reconcilable AND a.subtype NOT IN ('bank', 'cash');

-- +goose Down
DROP TABLE ledger_matches;
DROP TABLE ledger_open_items;
