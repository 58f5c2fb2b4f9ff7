-- +goose Up
-- Exchange rates: rate is the company currency per 1 unit of currency on
-- rate_date, a decimal kept as text (at most 19 significant digits, as
-- govalues/decimal holds them), so both dialects store it exactly. A posting
-- or revaluation on day D takes the latest rate on or before D, which the
-- primary key's order serves with one index step.
CREATE TABLE ledger_exchange_rates (
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    currency    TEXT NOT NULL,
    rate_date   DATE NOT NULL,
    rate        TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, currency, rate_date)
) WITHOUT ROWID;
CREATE INDEX ledger_exchange_rates_date ON ledger_exchange_rates (company_id, rate_date);

-- Period-end revaluations of foreign-currency balances: one per company and
-- date, with the entry of unrealised gains and losses and its reversal on
-- the next day. The primary key makes running a revaluation again a no-op.
CREATE TABLE ledger_revaluations (
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    date         DATE NOT NULL,
    entry_id     INTEGER NOT NULL REFERENCES ledger_entries (id),
    reversal_id  INTEGER NOT NULL REFERENCES ledger_entries (id),
    gain         INTEGER NOT NULL,
    loss         INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, date)
);

-- +goose Down
DROP TABLE ledger_revaluations;
DROP TABLE ledger_exchange_rates;
