-- +goose Up
-- Dunning: levels per company, hold flags on parties and invoices, runs
-- with the level each invoice reached and the letters sent; and recurring
-- invoice templates with the periods already generated. Amounts are int64
-- minor units; interest is a Percent with four decimal places.
CREATE TABLE dunning_levels (
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    level             INTEGER NOT NULL,
    days_overdue      INTEGER NOT NULL,
    fee               INTEGER NOT NULL,
    interest_percent  INTEGER NOT NULL,
    text_en           TEXT NOT NULL,
    text_de           TEXT NOT NULL,
    text_fr           TEXT NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, level)
);

CREATE TABLE dunning_holds (
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    target      TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, target, target_id)
);

CREATE TABLE dunning_runs (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    run_date       DATE NOT NULL,
    invoice_count  INTEGER NOT NULL,
    letter_count   INTEGER NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX dunning_runs_company ON dunning_runs (company_id, id);

CREATE TABLE dunning_run_items (
    run_id           INTEGER NOT NULL REFERENCES dunning_runs (id),
    company_id       INTEGER NOT NULL REFERENCES companies (id),
    document_id      INTEGER NOT NULL REFERENCES invoice_documents (id),
    party_id         INTEGER NOT NULL REFERENCES parties (id),
    level            INTEGER NOT NULL,
    run_date         DATE NOT NULL,
    days_overdue     INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    open_amount      INTEGER NOT NULL,
    fee              INTEGER NOT NULL,
    interest         INTEGER NOT NULL,
    fee_document_id  INTEGER REFERENCES invoice_documents (id),
    PRIMARY KEY (run_id, document_id),
    UNIQUE (company_id, document_id, level)
);
CREATE INDEX dunning_run_items_document ON dunning_run_items (company_id, document_id, level);
CREATE INDEX dunning_run_items_fee ON dunning_run_items (company_id, fee_document_id);

CREATE TABLE dunning_letters (
    run_id      INTEGER NOT NULL REFERENCES dunning_runs (id),
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    party_id    INTEGER NOT NULL REFERENCES parties (id),
    language    TEXT NOT NULL,
    pdf         BLOB NOT NULL,
    PRIMARY KEY (run_id, party_id)
);

CREATE TABLE recurring_invoices (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    name          TEXT NOT NULL,
    party_id      INTEGER NOT NULL REFERENCES parties (id),
    template      TEXT NOT NULL,
    frequency     TEXT NOT NULL,
    day_of_month  INTEGER NOT NULL,
    start_date    DATE NOT NULL,
    end_date      DATE,
    max_count     INTEGER NOT NULL,
    post          BOOLEAN NOT NULL,
    active        BOOLEAN NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX recurring_invoices_company ON recurring_invoices (company_id, id);

CREATE TABLE recurring_invoice_periods (
    recurring_id  INTEGER NOT NULL REFERENCES recurring_invoices (id),
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    period_date   DATE NOT NULL,
    document_id   INTEGER NOT NULL, -- no foreign key: a generated draft may be deleted, its period stays claimed
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (recurring_id, period_date)
);

-- +goose Down
DROP TABLE recurring_invoice_periods;
DROP TABLE recurring_invoices;
DROP TABLE dunning_letters;
DROP TABLE dunning_run_items;
DROP TABLE dunning_runs;
DROP TABLE dunning_holds;
DROP TABLE dunning_levels;
