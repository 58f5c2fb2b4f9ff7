-- +goose Up
-- Customers and suppliers (parties) with their contacts and bank accounts.
-- name_key is the legal name normalised for duplicate detection (see
-- party.NameKey). Amounts are int64 minor units of the party's currency.
CREATE TABLE parties (
    id                     INTEGER PRIMARY KEY,
    company_id             INTEGER NOT NULL REFERENCES companies (id),
    kind                   TEXT NOT NULL,
    legal_name             TEXT NOT NULL,
    trade_name             TEXT NOT NULL,
    name_key               TEXT NOT NULL,
    billing_lines          TEXT NOT NULL,
    billing_city           TEXT NOT NULL,
    billing_postal_code    TEXT NOT NULL,
    billing_region         TEXT NOT NULL,
    billing_country        TEXT NOT NULL,
    shipping_lines         TEXT NOT NULL,
    shipping_city          TEXT NOT NULL,
    shipping_postal_code   TEXT NOT NULL,
    shipping_region        TEXT NOT NULL,
    shipping_country       TEXT NOT NULL,
    vat_id                 TEXT NOT NULL,
    peppol_scheme          TEXT NOT NULL,
    peppol_id              TEXT NOT NULL,
    net_days               INTEGER NOT NULL,
    discount_basis_points  INTEGER NOT NULL,
    discount_days          INTEGER NOT NULL,
    receivable_account_id  INTEGER REFERENCES ledger_accounts (id),
    payable_account_id     INTEGER REFERENCES ledger_accounts (id),
    income_account_id      INTEGER REFERENCES ledger_accounts (id),
    expense_account_id     INTEGER REFERENCES ledger_accounts (id),
    tax_code               TEXT NOT NULL,
    currency               TEXT NOT NULL,
    credit_limit           INTEGER NOT NULL,
    language               TEXT NOT NULL,
    blocked                BOOLEAN NOT NULL DEFAULT FALSE,
    merged_into_id         INTEGER REFERENCES parties (id),
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL
);
CREATE INDEX parties_name ON parties (company_id, legal_name, id);
CREATE INDEX parties_vat ON parties (company_id, vat_id) WHERE vat_id <> '';
CREATE INDEX parties_name_key ON parties (company_id, name_key);

CREATE TABLE party_contacts (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    party_id    INTEGER NOT NULL REFERENCES parties (id),
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT NOT NULL,
    role        TEXT NOT NULL
);
CREATE INDEX party_contacts_party ON party_contacts (party_id, id);

CREATE TABLE party_bank_accounts (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    party_id    INTEGER NOT NULL REFERENCES parties (id),
    iban        TEXT NOT NULL,
    bic         TEXT NOT NULL,
    holder      TEXT NOT NULL
);
CREATE INDEX party_bank_accounts_party ON party_bank_accounts (party_id, id);
CREATE INDEX party_bank_accounts_iban ON party_bank_accounts (company_id, iban);

-- +goose Down
DROP TABLE party_bank_accounts;
DROP TABLE party_contacts;
DROP TABLE parties;
