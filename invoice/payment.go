package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Direction says which way a payment's money moves: received (from a
// customer, or a refund from a supplier) or paid (to a supplier, or a
// refund to a customer).
type Direction string

// The payment directions.
const (
	Received Direction = "received"
	Paid     Direction = "paid"
)

// Valid reports whether d is a known direction.
func (d Direction) Valid() bool { return d == Received || d == Paid }

// sign is +1 when the money comes in (the bank line is a debit), else -1.
func (d Direction) sign() int64 {
	if d == Received {
		return 1
	}
	return -1
}

// PaymentState is where a payment is: posted, or reversed by a reversal entry.
type PaymentState string

// The payment states.
const (
	PaymentPosted   PaymentState = "posted"
	PaymentReversed PaymentState = "reversed"
)

// paymentEntity names payments in the change log.
const paymentEntity = "payment"

// DefaultWriteOffTolerance is the write-off tolerance of a company that set
// none: 1.00 in a company currency with two decimals (100 minor units).
const DefaultWriteOffTolerance = 100

// AllocationInput settles one posted document of the payment's party, or
// (for a refund) the credit an earlier payment left (PaymentID). Amount is
// what it settles of it, in the payment's currency, including Discount: the
// early-payment discount taken, which is posted to the discount account
// (4030 sales discounts, 5020 purchase discounts) instead of being paid.
type AllocationInput struct {
	DocumentID backoffice.ID `json:"document_id,omitempty"`
	PaymentID  backoffice.ID `json:"payment_id,omitempty"`
	Amount     int64         `json:"amount"`
	Discount   int64         `json:"discount,omitempty"`
}

// WriteOffInput asks to write off the difference between the payment and
// its allocations to AccountID, with a reason, instead of keeping it as the
// party's credit. The difference must lie within the company's tolerance.
type WriteOffInput struct {
	AccountID backoffice.ID `json:"account_id"`
	Reason    string        `json:"reason"`
}

// PaymentInput is a payment as a user registers it. Currency defaults to
// the company currency; Rate (company currency per unit, a decimal) is
// required for another one. What the allocations do not take stays open
// as the party's credit, unless WriteOff is given. EndToEndID identifies
// the transfer in bank files (payment runs set it).
type PaymentInput struct {
	Direction   Direction           `json:"direction"`
	PartyID     backoffice.ID       `json:"party_id"`
	Date        backoffice.Date     `json:"date"`
	AccountID   backoffice.ID       `json:"account_id"`
	Currency    backoffice.Currency `json:"currency,omitempty"`
	Rate        string              `json:"rate,omitempty"`
	Amount      int64               `json:"amount"`
	Reference   string              `json:"reference,omitempty"`
	EndToEndID  string              `json:"end_to_end_id,omitempty"`
	Allocations []AllocationInput   `json:"allocations,omitempty"`
	WriteOff    *WriteOffInput      `json:"write_off,omitempty"`

	runID backoffice.ID // set by payment runs
}

// Allocation is a stored allocation: the document (or earlier payment) it
// settles, the amount and discount, the payment entry's line that settled
// it and the ledger reconciliation that matched the two.
type Allocation struct {
	Seq              int           `json:"seq"`
	DocumentID       backoffice.ID `json:"document_id,omitempty"`
	DocumentNumber   string        `json:"document_number,omitempty"`
	PaymentID        backoffice.ID `json:"payment_id,omitempty"`
	PaymentNumber    string        `json:"payment_number,omitempty"`
	Amount           int64         `json:"amount"`
	Discount         int64         `json:"discount"`
	EntryLine        int           `json:"entry_line"`
	ReconciliationID backoffice.ID `json:"reconciliation_id,omitempty"`
}

// Payment is a posted payment. Unallocated is the party's credit the
// payment left (positive, payment currency); WriteOff the difference
// written off, positive when the documents were settled for more than the
// money that moved.
type Payment struct {
	ID                backoffice.ID       `json:"id"`
	CompanyID         backoffice.ID       `json:"company_id"`
	Number            string              `json:"number"`
	Direction         Direction           `json:"direction"`
	State             PaymentState        `json:"state"`
	PartyID           backoffice.ID       `json:"party_id"`
	PartyName         string              `json:"party_name"`
	Date              backoffice.Date     `json:"date"`
	AccountID         backoffice.ID       `json:"account_id"`
	AccountCode       string              `json:"account_code"`
	Currency          backoffice.Currency `json:"currency"`
	Rate              string              `json:"rate,omitempty"`
	Amount            int64               `json:"amount"`
	Reference         string              `json:"reference"`
	EndToEndID        string              `json:"end_to_end_id,omitempty"`
	Unallocated       int64               `json:"unallocated"`
	UnallocatedLine   int                 `json:"unallocated_line,omitempty"`
	WriteOff          int64               `json:"write_off"`
	WriteOffAccountID backoffice.ID       `json:"write_off_account_id,omitempty"`
	WriteOffReason    string              `json:"write_off_reason,omitempty"`
	RunID             backoffice.ID       `json:"run_id,omitempty"`
	EntryID           backoffice.ID       `json:"entry_id"`
	ReversalEntryID   backoffice.ID       `json:"reversal_entry_id,omitempty"`
	ReversalReason    string              `json:"reversal_reason,omitempty"`
	Allocations       []Allocation        `json:"allocations"`
	Version           int64               `json:"version"`
	CreatedAt         time.Time           `json:"created_at"`
	UpdatedAt         time.Time           `json:"updated_at"`
}

// PaymentSettings are a company's payment settings: the largest difference
// (company currency, minor units) a payment may write off.
type PaymentSettings struct {
	WriteOffTolerance int64 `json:"write_off_tolerance"`
	Version           int64 `json:"version"`
}

// PaymentSettings reads the company's payment settings, the defaults when
// none were set.
func (s *Service) PaymentSettings(ctx context.Context, companyID backoffice.ID) (PaymentSettings, error) {
	return paymentSettings(ctx, s.DB, companyID)
}

func paymentSettings(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (PaymentSettings, error) {
	st := PaymentSettings{WriteOffTolerance: DefaultWriteOffTolerance}
	err := q.QueryRowContext(ctx, `SELECT write_off_tolerance, version FROM payment_settings WHERE company_id = ?`, int64(companyID)).
		Scan(&st.WriteOffTolerance, &st.Version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("read payment settings: %w", err)
	}
	return st, nil
}

// SetWriteOffTolerance sets the largest difference a payment may write off,
// in minor units of the company currency (0 forbids write-offs).
func (s *Service) SetWriteOffTolerance(ctx context.Context, companyID backoffice.ID, tolerance int64) (PaymentSettings, error) {
	if tolerance < 0 || tolerance > maxAmount {
		return PaymentSettings{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "the write-off tolerance must be zero or a positive amount",
			Fields: map[string]string{"write_off_tolerance": "must be zero or positive"}}
	}
	var out PaymentSettings
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := paymentSettings(ctx, tx, companyID)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO payment_settings (company_id, write_off_tolerance, version, updated_at) VALUES (?, ?, 1, ?)
			ON CONFLICT (company_id) DO UPDATE SET write_off_tolerance = excluded.write_off_tolerance, version = payment_settings.version + 1,
			updated_at = excluded.updated_at RETURNING write_off_tolerance, version`, int64(companyID), tolerance, s.now()).
			Scan(&out.WriteOffTolerance, &out.Version)
		if err != nil {
			return fmt.Errorf("set payment settings: %w", err)
		}
		base, err := s.companyCurrency(ctx, tx, companyID)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "payment_settings", EntityID: companyID.String(), Action: "update",
			Old: map[string]any{"write_off_tolerance": backoffice.FormatMinor(before.WriteOffTolerance, base.Exponent())},
			New: map[string]any{"write_off_tolerance": backoffice.FormatMinor(tolerance, base.Exponent())}})
		return err
	})
	return out, err
}

// normalise trims text fields.
func (in *PaymentInput) normalise() {
	in.Reference = strings.TrimSpace(in.Reference)
	in.EndToEndID = strings.TrimSpace(in.EndToEndID)
	in.Rate = strings.TrimSpace(in.Rate)
	in.Currency = backoffice.Currency(strings.ToUpper(strings.TrimSpace(string(in.Currency))))
	if in.WriteOff != nil {
		in.WriteOff.Reason = strings.TrimSpace(in.WriteOff.Reason)
	}
}

// check validates what the input says on its own, with the company
// currency base, and returns the parsed rate (zero for company currency).
func (in *PaymentInput) check(base backoffice.Currency, v backoffice.Validation) decimal.Decimal {
	v.Check(in.Direction.Valid(), "direction", "must be received or paid")
	v.Check(in.PartyID != 0, "party_id", "is required")
	v.Check(!in.Date.IsZero(), "date", "is required")
	v.Check(in.AccountID != 0, "account_id", "is required: the bank or cash account the money moves through")
	v.Check(in.Amount > 0, "amount", "must be more than zero")
	v.Check(in.Amount <= maxAmount, "amount", "is too large")
	v.Check(len(in.Reference) <= 140, "reference", "must be at most 140 characters")
	v.Check(len(in.EndToEndID) <= 35, "end_to_end_id", "must be at most 35 characters (the SEPA limit)")
	if in.Currency == "" {
		in.Currency = base
	}
	var rate decimal.Decimal
	switch {
	case !in.Currency.Valid():
		v.Add("currency", "must be an ISO 4217 currency code")
	case in.Currency == base:
		in.Rate = ""
	case in.Rate == "":
		v.Add("rate", fmt.Sprintf("is required for a payment in %s: give the %s value of one %s", in.Currency, base, in.Currency))
	default:
		r, err := decimal.Parse(in.Rate)
		if err != nil || !r.IsPos() {
			v.Add("rate", "must be a positive decimal number")
		}
		rate, in.Rate = r, r.String()
	}
	seen := map[[2]backoffice.ID]bool{}
	for i, a := range in.Allocations {
		f := fmt.Sprintf("allocations[%d].", i)
		if (a.DocumentID == 0) == (a.PaymentID == 0) {
			v.Add(f+"document_id", "give either a document or an earlier payment whose credit this settles")
		}
		key := [2]backoffice.ID{a.DocumentID, a.PaymentID}
		v.Check(!seen[key], f+"document_id", "is allocated twice")
		seen[key] = true
		v.Check(a.Amount > 0 && a.Amount <= maxAmount, f+"amount", "must be more than zero")
		v.Check(a.Discount >= 0 && a.Discount < max(a.Amount, 1), f+"discount", "must be zero or less than the amount")
		v.Check(a.Discount == 0 || a.DocumentID != 0, f+"discount", "is only taken on documents")
	}
	if w := in.WriteOff; w != nil {
		v.Check(w.AccountID != 0, "write_off.account_id", "is required: the account the difference is written off to")
		v.Check(len(w.Reason) >= 3 && len(w.Reason) <= 500, "write_off.reason", "is required: say why the difference is written off (3 to 500 characters)")
	}
	return rate
}
