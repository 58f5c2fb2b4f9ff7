-- +goose Up
-- The boxes of a company's tax return: each adds up base or tax amounts of
-- tax codes on the sales or purchases side, or other boxes (terms is JSON).
-- A company without rows uses the default boxes.
CREATE TABLE invoice_tax_boxes (
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    terms       TEXT NOT NULL,
    PRIMARY KEY (company_id, position),
    UNIQUE (company_id, code)
);

-- One row per tax period settled: the entry that moved the period's output
-- and input tax to the settlement account. Periods of a company never overlap.
CREATE TABLE invoice_tax_settlements (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    from_date   DATE NOT NULL,
    to_date     DATE NOT NULL,
    entry_id    INTEGER NOT NULL REFERENCES ledger_entries (id),
    payable     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (company_id, from_date)
);

-- +goose Down
DROP TABLE invoice_tax_settlements;
DROP TABLE invoice_tax_boxes;
