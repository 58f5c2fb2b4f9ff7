// Package invoice holds customer invoices and credit notes, supplier bills
// and refunds, the tax codes and the product catalogue they use. A document
// is a draft that changes freely until it is posted: then it gets a gapless
// number and one ledger entry in the same transaction, and never changes
// again; a credit note (or refund) cancels it.
//
// Amounts are int64 minor units of the document's currency. Quantities,
// percentages and tax rates are fixed-point decimals with four places
// (Quantity, Percent), so 19 %, 7.7 % and 5.5 % are exact.
package invoice

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
)

// Service holds the dependencies of the invoice use cases.
type Service struct {
	DB     *sqldb.DB
	Audit  *audit.Log
	Ledger *ledger.Service  // accounts, journals, lock dates and posting
	Party  *party.Service   // customers and suppliers
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

// SetUpCompany gives a company what invoicing needs: the default tax codes
// (DefaultTaxCodes) and the rounding setting. It is idempotent: existing
// codes are left as they are. The company's books must be set up first
// (ledger.Service.SetUpCompany), since tax codes name tax accounts.
func (s *Service) SetUpCompany(ctx context.Context, companyID backoffice.ID) error {
	collected, err := s.Ledger.AccountByCode(ctx, companyID, "2100")
	if err != nil {
		return fmt.Errorf("set up tax codes: output VAT account 2100: %w", err)
	}
	deductible, err := s.Ledger.AccountByCode(ctx, companyID, "1400")
	if err != nil {
		return fmt.Errorf("set up tax codes: input VAT account 1400: %w", err)
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := s.ensureSettings(ctx, tx, companyID); err != nil {
			return err
		}
		for _, in := range DefaultTaxCodes() {
			in.CollectedAccountID, in.DeductibleAccountID = collected.ID, deductible.ID
			if _, err := taxCodeByCode(ctx, tx, companyID, in.Code); err == nil {
				continue
			} else if backoffice.ErrorCode(err) != backoffice.ENotFound {
				return err
			}
			if _, err := s.createTaxCode(ctx, tx, companyID, in); err != nil {
				return err
			}
		}
		return nil
	})
}

// notFound is the error for a record that does not exist in the company.
func notFound(what string, id backoffice.ID) error {
	return backoffice.Errorf(backoffice.ENotFound, "%s %d does not exist in this company", what, id)
}

// stale is the error for an update based on an old version.
func stale(what string, id backoffice.ID, version int64) error {
	return backoffice.Errorf(backoffice.EPrecondition, "%s %d was changed by someone else since version %d: reload it and apply your change again", what, id, version)
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

// accountOf reads a ledger account of the company for validation: it adds a
// message to v under field when the account does not exist or is blocked.
func (s *Service) accountOf(ctx context.Context, companyID, id backoffice.ID, v backoffice.Validation, field string) (*ledger.Account, error) {
	if id == 0 {
		return nil, nil
	}
	a, err := s.Ledger.GetAccount(ctx, companyID, id)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		v.Add(field, "is not a ledger account of this company")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.Blocked {
		v.Add(field, fmt.Sprintf("account %s is blocked", a.Code))
		return nil, nil
	}
	return &a, nil
}

// companyCurrency reads the base currency of a company.
func (s *Service) companyCurrency(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (backoffice.Currency, error) {
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

// limitOf applies the default and maximum page size.
func limitOf(p backoffice.Page) int {
	if p.Limit <= 0 {
		return backoffice.DefaultPageLimit
	}
	return min(p.Limit, backoffice.MaxPageLimit)
}

// escapeLike escapes the LIKE wildcards of s for use with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// encodeCursor turns a keyset position into the opaque text a client sends
// back as Page.After; the list name travels inside, so a cursor of one list
// is refused by another.
func encodeCursor(list string, pos any) string {
	b, _ := json.Marshal(struct {
		List string `json:"l"`
		Pos  any    `json:"p"`
	}{list, pos})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor written by encodeCursor for list into pos.
func decodeCursor(s, list string, pos any) error {
	var c struct {
		List string          `json:"l"`
		Pos  json.RawMessage `json:"p"`
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err == nil && c.List != list {
		err = errors.New("wrong list")
	}
	if err == nil {
		err = json.Unmarshal(c.Pos, pos)
	}
	if err != nil {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "the page cursor is not valid for this list; start from the first page",
			Fields: map[string]string{"after": "is not a cursor of this list"}}
	}
	return nil
}
