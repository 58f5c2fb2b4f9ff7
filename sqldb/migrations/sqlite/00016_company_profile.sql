-- +goose Up
-- The company's own legal details, printed on its invoices and letters and
-- written into its e-invoices and payment files: one row per company,
-- created on the first save. The logo is kept here too (PNG or JPEG).
CREATE TABLE company_profiles (
    company_id        INTEGER PRIMARY KEY REFERENCES companies (id),
    legal_name        TEXT NOT NULL,
    trade_name        TEXT NOT NULL,
    address_lines     TEXT NOT NULL,
    city              TEXT NOT NULL,
    postal_code       TEXT NOT NULL,
    region            TEXT NOT NULL,
    country           TEXT NOT NULL,
    vat_id            TEXT NOT NULL,
    tax_id            TEXT NOT NULL,
    registration_id   TEXT NOT NULL,
    peppol_scheme     TEXT NOT NULL,
    peppol_id         TEXT NOT NULL,
    email             TEXT NOT NULL,
    phone             TEXT NOT NULL,
    website           TEXT NOT NULL,
    iban              TEXT NOT NULL,
    bic               TEXT NOT NULL,
    bank_name         TEXT NOT NULL,
    creditor_id       TEXT NOT NULL,
    language          TEXT NOT NULL,
    logo_type         TEXT NOT NULL,
    logo              BLOB,
    version           INTEGER NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE company_profiles;
