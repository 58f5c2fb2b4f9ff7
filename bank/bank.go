// Package bank holds a company's bank accounts and the bank statements
// imported for them. Statement files are read by bank/statementfile; this
// package stores them once (by file hash, statement id and line references),
// checks their balances and records every change in the change log.
package bank

import (
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// Service holds the dependencies of every banking use case.
type Service struct {
	DB     *sqldb.DB
	Audit  *audit.Log
	Ledger *ledger.Service  // checks the ledger account a bank account posts to
	Now    func() time.Time // clock; time.Now when nil
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

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// fieldError is an invalid error naming one field.
func fieldError(field, msg string) error {
	return &backoffice.Error{Code: backoffice.EInvalid, Message: field + " " + msg, Fields: map[string]string{field: msg}}
}
