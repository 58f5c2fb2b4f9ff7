-- +goose Up
-- Custom dimensions per company, beside the built-in cost_center, project and
-- department. A line may carry a dimension only when it is built in or
-- defined here and active; allowed_values is a JSON array of the values a
-- line may give ("[]": any value).
CREATE TABLE ledger_dimensions (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    allowed_values  TEXT NOT NULL DEFAULT '[]',
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

-- +goose Down
DROP TABLE ledger_dimensions;
