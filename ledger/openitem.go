package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

// Open items are the lines of reconcilable receivable and payable accounts
// (every reconcilable account except bank and cash, whose lines the bank
// statement reconciles instead). An invoice's receivable line is an open
// item until payments matched against it settle it; what no match has
// settled yet is its residual. Posting inserts the open items with the
// lines, in the same transaction; matching lowers residuals.

// LineRef names one posted line: an entry and its line number.
type LineRef struct {
	EntryID backoffice.ID `json:"entry_id"`
	LineNo  int           `json:"line_no"`
}

// text names the line in messages.
func (r LineRef) text() string { return fmt.Sprintf("entry %d line %d", r.EntryID, r.LineNo) }

// OpenItem is a line of a reconcilable account with what is still open of
// it. Amounts are signed like the line (debit positive), in the line's
// currency and in company currency.
type OpenItem struct {
	LineRef
	EntryNumber     string              `json:"entry_number"`
	Reference       string              `json:"reference"`
	AccountID       backoffice.ID       `json:"account_id"`
	AccountCode     string              `json:"account_code"`
	PartyID         int64               `json:"party_id,omitempty"`
	Date            backoffice.Date     `json:"date"`
	DueDate         backoffice.Date     `json:"due_date,omitzero"`
	Currency        backoffice.Currency `json:"currency"`
	Amount          int64               `json:"amount"`
	CompanyAmount   int64               `json:"company_amount"`
	Residual        int64               `json:"residual"`
	CompanyResidual int64               `json:"company_residual"`
	SettledOn       backoffice.Date     `json:"settled_on,omitzero"`
}

// opensItems says whether lines on a account are open items.
func opensItems(a *Account) bool {
	return a.Reconcilable && a.Subtype != "bank" && a.Subtype != "cash"
}

// insertOpenItems records the open-item lines of freshly posted entries. A
// reversal's lines are then matched against what is still open of the lines
// they mirror, so reversing an invoice settles it.
func insertOpenItems(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	var b strings.Builder
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ledger_open_items (entry_id, line_no, company_id, account_id, party_id, date, due_date, currency,
			amount, company_amount, residual, company_residual) VALUES `+b.String(), args...)
		b.Reset()
		args, n = args[:0], 0
		if err != nil {
			return fmt.Errorf("insert open items: %w", err)
		}
		return nil
	}
	for _, p := range ps {
		for _, i := range p.openLines {
			l := &p.lines[i]
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			var party any
			if l.PartyID != 0 {
				party = l.PartyID
			}
			args = append(args, int64(p.out.ID), l.LineNo, int64(p.companyID), int64(l.AccountID), party, p.in.Date, l.DueDate,
				string(l.Currency), l.Amount, l.CompanyAmount, l.Amount, l.CompanyAmount)
			if n++; n == 80 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// lockOpenItem reads an open item and locks its row until the transaction
// ends (the no-op update takes the row lock on PostgreSQL; SQLite has one
// writer anyway).
func lockOpenItem(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, r LineRef) (OpenItem, error) {
	it := OpenItem{LineRef: r}
	var party *int64
	err := tx.QueryRowContext(ctx, `UPDATE ledger_open_items SET residual = residual WHERE entry_id = ? AND line_no = ? AND company_id = ?
		RETURNING account_id, party_id, date, due_date, currency, amount, company_amount, residual, company_residual, settled_on`,
		int64(r.EntryID), r.LineNo, int64(companyID)).Scan(&it.AccountID, &party, &it.Date, &it.DueDate, &it.Currency,
		&it.Amount, &it.CompanyAmount, &it.Residual, &it.CompanyResidual, &it.SettledOn)
	if errors.Is(err, sql.ErrNoRows) {
		return it, backoffice.Errorf(backoffice.ENotFound, "%s is not an open item of this company (only lines of reconcilable receivable and payable accounts are)", r.text())
	}
	if err != nil {
		return it, fmt.Errorf("lock open item %s: %w", r.text(), err)
	}
	if party != nil {
		it.PartyID = *party
	}
	return it, nil
}

// settle lowers an item's residual by amount (line currency) and
// companyPart, marking it settled on date when nothing is left.
func settle(ctx context.Context, tx *sqldb.Tx, it *OpenItem, amount, companyPart int64, date backoffice.Date) error {
	it.Residual -= amount
	it.CompanyResidual -= companyPart
	var settled any
	if it.Residual == 0 && it.CompanyResidual == 0 {
		it.SettledOn, settled = date, date
	}
	_, err := tx.ExecContext(ctx, `UPDATE ledger_open_items SET residual = ?, company_residual = ?, settled_on = ? WHERE entry_id = ? AND line_no = ?`,
		it.Residual, it.CompanyResidual, settled, int64(it.EntryID), it.LineNo)
	if err != nil {
		return fmt.Errorf("settle open item %s: %w", it.text(), err)
	}
	return nil
}

// settleReversals matches each open-item line of a reversal against what is
// still open of the line it mirrors, so reversing an invoice closes it. A
// line already settled by a payment stays settled, and the reversal's line
// stays open instead (the payment is then a credit of the party).
func (s *Service) settleReversals(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	for _, p := range ps {
		if p.reversesID == 0 {
			continue
		}
		for _, i := range p.openLines {
			orig := LineRef{EntryID: p.reversesID, LineNo: p.lines[i].LineNo}
			var residual, company int64
			err := tx.QueryRowContext(ctx, `SELECT residual, company_residual FROM ledger_open_items WHERE entry_id = ? AND line_no = ?`,
				int64(orig.EntryID), orig.LineNo).Scan(&residual, &company)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && residual == 0 && company == 0) {
				continue // the original line was no open item, or is settled
			}
			if err != nil {
				return fmt.Errorf("read the reversed %s: %w", orig.text(), err)
			}
			if _, err := s.MatchTx(ctx, tx, p.companyID, []LineRef{orig, {EntryID: p.out.ID, LineNo: p.lines[i].LineNo}}); err != nil {
				return fmt.Errorf("settle the reversed %s: %w", orig.text(), err)
			}
		}
	}
	return nil
}
