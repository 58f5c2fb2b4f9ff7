package invoice

import (
	"context"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// CancelInput says when and why a posted document is cancelled. Date is
// the credit note's issue date (today when zero).
type CancelInput struct {
	Date   backoffice.Date `json:"date,omitzero"`
	Reason string          `json:"reason"`
}

// Cancel cancels a posted invoice (or bill) by creating and posting, in one
// transaction, a credit note (or refund) for what remains of it. Nothing
// credited yet: the credit repeats the document's lines, so the reversal
// is exact. Partly credited: one line per tax code for the taxable amount
// left. The document becomes cancelled and names its credit note; it is
// never changed otherwise.
func (s *Service) Cancel(ctx context.Context, companyID, id backoffice.ID, in CancelInput) (Document, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || len(in.Reason) > 500 {
		return Document{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "say why the document is cancelled",
			Fields: map[string]string{"reason": "is required (1 to 500 characters)"}}
	}
	orig, err := getDocument(ctx, s.DB, companyID, id)
	if err != nil {
		return Document{}, err
	}
	switch {
	case orig.State == StateDraft:
		return Document{}, backoffice.Errorf(backoffice.EConflict, "document %d is a draft: delete it instead", id)
	case orig.State == StateCancelled:
		return Document{}, backoffice.Errorf(backoffice.EConflict, "%s is already cancelled", orig.Number)
	case orig.Kind.Credit():
		return Document{}, backoffice.Errorf(backoffice.EConflict, "%s is a %s: it cannot be cancelled by another credit", orig.Number, orig.Kind)
	}
	credit, err := s.creditInput(ctx, orig, in)
	if err != nil {
		return Document{}, err
	}
	r, err := s.newResolver(ctx, companyID)
	if err != nil {
		return Document{}, err
	}
	d, err := r.resolve(credit, 0)
	if err != nil {
		return Document{}, err
	}
	ne, err := r.entry(d)
	if err != nil {
		return Document{}, err
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := s.postTx(ctx, tx, d, ne, in.Reason, nil); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE invoice_documents SET state = ?, cancelled_by_id = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND state = ?`, string(StateCancelled), int64(d.ID), s.now(), int64(orig.ID), string(StatePosted))
		if err != nil {
			return fmt.Errorf("mark cancelled: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return backoffice.Errorf(backoffice.EConflict, "%s was cancelled meanwhile", orig.Number)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: entity, EntityID: orig.ID.String(), Action: "cancel",
			Old: map[string]any{"state": orig.State}, New: map[string]any{"state": StateCancelled, "cancelled_by_id": d.ID, "cancelled_by": d.Number},
			Reason: in.Reason})
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return *d, nil
}

// creditInput is the credit note (or refund) that cancels what remains of orig.
func (s *Service) creditInput(ctx context.Context, orig Document, in CancelInput) (Input, error) {
	left, err := remaining(ctx, s.DB, orig, 0)
	if err != nil {
		return Input{}, err
	}
	if left <= 0 {
		return Input{}, backoffice.Errorf(backoffice.EConflict, "%s is fully credited already", orig.Number)
	}
	date := in.Date
	if date.IsZero() {
		date = backoffice.DateOf(s.now())
	}
	kind := KindCreditNote
	if !orig.Kind.Sales() {
		kind = KindRefund
	}
	c := Input{Kind: kind, PartyID: orig.PartyID, IssueDate: date, DueDate: date, Currency: orig.Currency, Rate: orig.Rate,
		CreditsID: orig.ID, Notes: fmt.Sprintf("Cancels %s: %s", orig.Number, in.Reason), PaymentTerms: "Credited in full"}
	if left == orig.Totals.Payable {
		full := orig.Input()
		c.Lines, c.Allowances = full.Lines, full.Allowances
		return c, nil
	}
	return s.partialCredit(ctx, orig, c)
}

// partialCredit fills c with one line per tax code for the taxable amount
// of orig that earlier credits left, on the account of orig's first line
// with that code.
func (s *Service) partialCredit(ctx context.Context, orig Document, c Input) (Input, error) {
	left := map[string]int64{}
	for _, t := range orig.Taxes {
		if t.Type == TaxWithholding {
			return Input{}, backoffice.Errorf(backoffice.EConflict, "%s has withholding tax and is partly credited: write the credit note for the rest by hand", orig.Number)
		}
		left[t.TaxCode] += t.TaxableAmount
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT t.tax_code, t.taxable_amount FROM invoice_taxes t JOIN invoice_documents d ON d.id = t.document_id
		WHERE d.company_id = ? AND d.credits_id = ? AND d.state <> ?`, int64(orig.CompanyID), int64(orig.ID), string(StateDraft))
	if err != nil {
		return Input{}, fmt.Errorf("read credited taxes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var amount int64
		if err := rows.Scan(&code, &amount); err != nil {
			return Input{}, fmt.Errorf("read credited taxes: %w", err)
		}
		left[code] -= amount
	}
	if err := rows.Err(); err != nil {
		return Input{}, err
	}
	for _, t := range orig.Taxes {
		amount := left[t.TaxCode]
		if amount <= 0 {
			continue
		}
		left[t.TaxCode] = 0
		var account backoffice.ID
		for _, l := range orig.Lines {
			if len(l.TaxCodes) > 0 && l.TaxCodes[0] == t.TaxCode && account == 0 {
				account = l.AccountID
			}
		}
		price := amount
		c.Lines = append(c.Lines, LineInput{Description: fmt.Sprintf("Rest of %s at %s", orig.Number, t.TaxCode), Quantity: fixedScale,
			UnitPrice: &price, TaxCodes: []string{t.TaxCode}, AccountID: account})
	}
	if len(c.Lines) == 0 {
		return Input{}, backoffice.Errorf(backoffice.EConflict, "%s has nothing left to credit", orig.Number)
	}
	return c, nil
}
