// Package ledger is the general ledger: the chart of accounts, journals with
// gapless numbering, fiscal years and lock dates, the posting engine (single
// entries, batches and group commit), maintained balances, the trial balance
// and account statements. Everything is keyed by company; amounts are int64
// minor units of an ISO 4217 currency.
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Service holds the dependencies of every ledger use case.
type Service struct {
	DB    *sqldb.DB
	Audit *audit.Log
	Now   func() time.Time // clock; time.Now when nil

	// fiscalYears remembers (company, fiscal year) pairs known to exist, so
	// the posting path does not ask the database again for every entry.
	fiscalYears sync.Map
}

// now is the service clock in UTC, cut to microseconds because PostgreSQL
// keeps no more, so a value written and read back compares equal.
func (s *Service) now() time.Time {
	t := time.Now()
	if s.Now != nil {
		t = s.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// today is the service clock's calendar date (UTC).
func (s *Service) today() backoffice.Date { return backoffice.DateOf(s.now()) }

// companyCurrency reads the base currency of a company; the ledger does not
// import the access package, which owns companies.
func companyCurrency(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (backoffice.Currency, error) {
	var c backoffice.Currency
	err := q.QueryRowContext(ctx, `SELECT currency FROM companies WHERE id = ?`, int64(companyID)).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", backoffice.Errorf(backoffice.ENotFound, "company %d does not exist", companyID)
	}
	if err != nil {
		return "", fmt.Errorf("read company currency: %w", err)
	}
	return c, nil
}

// notFound is the error for a record that does not exist in the company.
func notFound(what string, id backoffice.ID) error {
	return backoffice.Errorf(backoffice.ENotFound, "%s %d does not exist in this company", what, id)
}

// fieldError is an invalid error naming one field.
func fieldError(field, msg string) error {
	return &backoffice.Error{Code: backoffice.EInvalid, Message: field + " " + msg, Fields: map[string]string{field: msg}}
}

// limitOf applies the default and maximum page size.
func limitOf(p backoffice.Page) int {
	if p.Limit <= 0 {
		return backoffice.DefaultPageLimit
	}
	return min(p.Limit, backoffice.MaxPageLimit)
}

// nullID stores 0 as NULL.
func nullID(id backoffice.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }
