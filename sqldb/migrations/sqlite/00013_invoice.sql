-- +goose Up
-- Tax codes, products, customer invoices, credit notes, supplier bills and
-- refunds. Amounts are int64 minor units of the document's currency; rates,
-- percentages and quantities are scaled integers (1/10000: 19 % is 190000,
-- 1.5 units is 15000), so every figure is exact on both databases.
CREATE TABLE invoice_settings (
    company_id  INTEGER PRIMARY KEY REFERENCES companies (id),
    rounding    TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE invoice_tax_codes (
    id                     INTEGER PRIMARY KEY,
    company_id             INTEGER NOT NULL REFERENCES companies (id),
    code                   TEXT NOT NULL,
    name                   TEXT NOT NULL,
    rate                   INTEGER NOT NULL,
    type                   TEXT NOT NULL,
    price_inclusive        BOOLEAN NOT NULL DEFAULT FALSE,
    category               TEXT NOT NULL,
    exemption_code         TEXT NOT NULL,
    exemption_reason       TEXT NOT NULL,
    collected_account_id   INTEGER REFERENCES ledger_accounts (id),
    deductible_account_id  INTEGER REFERENCES ledger_accounts (id),
    active                 BOOLEAN NOT NULL DEFAULT TRUE,
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE invoice_products (
    id                  INTEGER PRIMARY KEY,
    company_id          INTEGER NOT NULL REFERENCES companies (id),
    code                TEXT NOT NULL,
    name                TEXT NOT NULL,
    unit                TEXT NOT NULL,
    unit_price          INTEGER NOT NULL,
    currency            TEXT NOT NULL,
    tax_code            TEXT NOT NULL,
    income_account_id   INTEGER REFERENCES ledger_accounts (id),
    expense_account_id  INTEGER REFERENCES ledger_accounts (id),
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX invoice_products_name ON invoice_products (company_id, name, id);

CREATE TABLE invoice_documents (
    id                      INTEGER PRIMARY KEY,
    company_id              INTEGER NOT NULL REFERENCES companies (id),
    kind                    TEXT NOT NULL,
    state                   TEXT NOT NULL,
    number                  TEXT,
    fiscal_year             INTEGER,
    party_id                INTEGER NOT NULL REFERENCES parties (id),
    issue_date              DATE NOT NULL,
    due_date                DATE NOT NULL,
    currency                TEXT NOT NULL,
    rate                    TEXT NOT NULL,
    payment_terms           TEXT NOT NULL,
    early_discount_percent  INTEGER NOT NULL,
    early_discount_days     INTEGER NOT NULL,
    notes                   TEXT NOT NULL,
    supplier_reference      TEXT NOT NULL,
    supplier_reference_key  TEXT NOT NULL,
    credits_id              INTEGER REFERENCES invoice_documents (id),
    line_total              INTEGER NOT NULL,
    allowance_total         INTEGER NOT NULL,
    charge_total            INTEGER NOT NULL,
    tax_exclusive           INTEGER NOT NULL,
    tax_total               INTEGER NOT NULL,
    tax_inclusive           INTEGER NOT NULL,
    withheld                INTEGER NOT NULL,
    payable                 INTEGER NOT NULL,
    entry_id                INTEGER REFERENCES ledger_entries (id),
    cancelled_by_id         INTEGER REFERENCES invoice_documents (id),
    duplicate_reason        TEXT NOT NULL,
    posted_at               TIMESTAMP,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX invoice_documents_date ON invoice_documents (company_id, issue_date, id);
CREATE INDEX invoice_documents_party ON invoice_documents (company_id, party_id, issue_date);
CREATE INDEX invoice_documents_ref ON invoice_documents (company_id, party_id, supplier_reference_key) WHERE supplier_reference_key <> '';
CREATE INDEX invoice_documents_credits ON invoice_documents (credits_id) WHERE credits_id IS NOT NULL;

CREATE TABLE invoice_lines (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    document_id       INTEGER NOT NULL REFERENCES invoice_documents (id),
    line_no           INTEGER NOT NULL,
    product_id        INTEGER REFERENCES invoice_products (id),
    description       TEXT NOT NULL,
    quantity          INTEGER NOT NULL,
    unit              TEXT NOT NULL,
    unit_price        INTEGER NOT NULL,
    discount_percent  INTEGER NOT NULL,
    tax_codes         TEXT NOT NULL,
    account_id        INTEGER NOT NULL REFERENCES ledger_accounts (id),
    dimensions        TEXT NOT NULL,
    net_amount        INTEGER NOT NULL,
    UNIQUE (document_id, line_no)
);

CREATE TABLE invoice_allowances (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    document_id  INTEGER NOT NULL REFERENCES invoice_documents (id),
    seq          INTEGER NOT NULL,
    charge       BOOLEAN NOT NULL,
    amount       INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    tax_code     TEXT NOT NULL,
    account_id   INTEGER NOT NULL REFERENCES ledger_accounts (id),
    UNIQUE (document_id, seq)
);

-- The tax breakdown as computed when the document was last saved or posted:
-- a posted document keeps the rates it was posted with.
CREATE TABLE invoice_taxes (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    document_id       INTEGER NOT NULL REFERENCES invoice_documents (id),
    seq               INTEGER NOT NULL,
    tax_code          TEXT NOT NULL,
    type              TEXT NOT NULL,
    category          TEXT NOT NULL,
    rate              INTEGER NOT NULL,
    exemption_code    TEXT NOT NULL,
    exemption_reason  TEXT NOT NULL,
    taxable_amount    INTEGER NOT NULL,
    tax_amount        INTEGER NOT NULL,
    UNIQUE (document_id, seq)
);

-- Installments: one receivable (or payable) ledger line per due date.
CREATE TABLE invoice_installments (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    document_id  INTEGER NOT NULL REFERENCES invoice_documents (id),
    seq          INTEGER NOT NULL,
    due_date     DATE NOT NULL,
    amount       INTEGER NOT NULL,
    entry_line   INTEGER,
    UNIQUE (document_id, seq)
);

-- Gapless document numbers per company, kind and fiscal year.
CREATE TABLE invoice_sequences (
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    kind         TEXT NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (company_id, kind, fiscal_year)
);

-- +goose Down
DROP TABLE invoice_sequences;
DROP TABLE invoice_installments;
DROP TABLE invoice_taxes;
DROP TABLE invoice_allowances;
DROP TABLE invoice_lines;
DROP TABLE invoice_documents;
DROP TABLE invoice_products;
DROP TABLE invoice_tax_codes;
DROP TABLE invoice_settings;
