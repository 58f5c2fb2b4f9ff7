-- +goose Up
-- The printed copy of a posted invoice or credit note: its PDF, or the PDF
-- with the CII e-invoice embedded (Factur-X), generated on first request
-- and kept with its SHA-256 so later requests return the same bytes.
CREATE TABLE invoice_pdfs (
    document_id INTEGER NOT NULL REFERENCES invoice_documents (id),
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    format      TEXT NOT NULL CHECK (format IN ('pdf', 'facturx')),
    sha256      TEXT NOT NULL,
    data        BLOB NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (document_id, format)
);
CREATE INDEX invoice_pdfs_company ON invoice_pdfs (company_id);

-- +goose Down
DROP TABLE invoice_pdfs;
