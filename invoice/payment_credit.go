package invoice

import (
	"context"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// ApplyCreditInput names the credit applied to a document: a posted credit
// note (or refund) of the same party, or a payment that left a credit.
type ApplyCreditInput struct {
	CreditNoteID backoffice.ID `json:"credit_note_id,omitempty"`
	PaymentID    backoffice.ID `json:"payment_id,omitempty"`
}

// CreditApplication is what ApplyCredit settled.
type CreditApplication struct {
	DocumentID       backoffice.ID `json:"document_id"`
	Credit           string        `json:"credit"` // the credit note's or payment's number
	Amount           int64         `json:"amount"` // settled, in the document currency
	ReconciliationID backoffice.ID `json:"reconciliation_id"`
	Balance          Balance       `json:"balance"` // the document's balance afterwards
}

// ApplyCredit settles a posted document with a credit the party already
// has: a credit note's open amount or what a payment left unallocated. It
// settles as much as both have open (ledger.MatchTx, oldest due first) and
// records it in the document's change history.
func (s *Service) ApplyCredit(ctx context.Context, companyID, documentID backoffice.ID, in ApplyCreditInput) (CreditApplication, error) {
	d, err := getDocument(ctx, s.DB, companyID, documentID)
	if err != nil {
		return CreditApplication{}, err
	}
	if d.State != StatePosted {
		return CreditApplication{}, backoffice.Errorf(backoffice.EConflict, "%s is %s: only posted documents take credits", cmpOr(d.Number, "the draft"), d.State)
	}
	credit, creditRefs, err := s.creditOf(ctx, d, in)
	if err != nil {
		return CreditApplication{}, err
	}
	out := CreditApplication{DocumentID: d.ID, Credit: credit}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		refs := append(docRefs(d), creditRefs...)
		items, err := s.Ledger.LockOpenItems(ctx, tx, companyID, refs)
		if err != nil {
			return err
		}
		var open []ledger.LineRef
		var docOpen, creditOpen bool
		for i, it := range items {
			if it.Residual != 0 {
				open = append(open, it.LineRef)
				docOpen = docOpen || i < len(refs)-len(creditRefs)
				creditOpen = creditOpen || i >= len(refs)-len(creditRefs)
			}
		}
		field := "credit_note_id"
		if in.PaymentID != 0 {
			field = "payment_id"
		}
		switch {
		case !docOpen:
			return &backoffice.Error{Code: backoffice.EConflict, Message: fmt.Sprintf("%s is settled already: nothing to apply a credit to", d.Number)}
		case !creditOpen:
			msg := fmt.Sprintf("%s has no credit left to apply", credit)
			return &backoffice.Error{Code: backoffice.EInvalid, Message: msg, Fields: map[string]string{field: msg}}
		}
		rec, err := s.Ledger.MatchTx(ctx, tx, companyID, open)
		if err != nil {
			return err
		}
		for _, m := range rec.Matches {
			out.Amount += m.Amount
		}
		out.ReconciliationID = rec.ID
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: entity, EntityID: d.ID.String(), Action: "apply_credit",
			New: map[string]any{"credit": credit, "amount": out.Amount, "reconciliation_id": rec.ID}})
		return err
	})
	if err != nil {
		return CreditApplication{}, err
	}
	out.Balance, err = s.Balance(ctx, companyID, d)
	return out, err
}

// creditOf reads the credit named by in and its open-item lines.
func (s *Service) creditOf(ctx context.Context, d Document, in ApplyCreditInput) (string, []ledger.LineRef, error) {
	if (in.CreditNoteID == 0) == (in.PaymentID == 0) {
		return "", nil, &backoffice.Error{Code: backoffice.EInvalid, Message: "name the credit to apply: a credit note or a payment",
			Fields: map[string]string{"credit_note_id": "give a credit note or a payment, not both"}}
	}
	bad := func(field, msg string) error {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	if in.PaymentID != 0 {
		p, err := getPayment(ctx, s.DB, d.CompanyID, in.PaymentID)
		switch {
		case err != nil:
			return "", nil, err
		case p.PartyID != d.PartyID:
			return "", nil, bad("payment_id", fmt.Sprintf("payment %s belongs to %s, not to %s", p.Number, p.PartyName, d.PartyName))
		case p.State != PaymentPosted || p.UnallocatedLine == 0:
			return "", nil, bad("payment_id", fmt.Sprintf("payment %s left no credit to apply", p.Number))
		}
		return p.Number, []ledger.LineRef{{EntryID: p.EntryID, LineNo: p.UnallocatedLine}}, nil
	}
	c, err := getDocument(ctx, s.DB, d.CompanyID, in.CreditNoteID)
	switch {
	case err != nil:
		return "", nil, err
	case c.PartyID != d.PartyID:
		return "", nil, bad("credit_note_id", fmt.Sprintf("%s belongs to %s, not to %s", cmpOr(c.Number, "the draft"), c.PartyName, d.PartyName))
	case c.State != StatePosted || !c.Kind.Credit() || c.Kind.Sales() != d.Kind.Sales():
		return "", nil, bad("credit_note_id", fmt.Sprintf("%s is not a posted credit of this kind of document", cmpOr(c.Number, "the draft")))
	}
	return c.Number, docRefs(c), nil
}

// docRefs are the open-item lines of a posted document.
func docRefs(d Document) []ledger.LineRef {
	var out []ledger.LineRef
	for _, l := range d.EntryLines() {
		out = append(out, ledger.LineRef{EntryID: d.EntryID, LineNo: l})
	}
	return out
}

// ReversePaymentInput says when and why a payment is reversed. Date is the
// reversal entry's date (the payment's date when zero).
type ReversePaymentInput struct {
	Date   backoffice.Date `json:"date,omitzero"`
	Reason string          `json:"reason"`
}

// ReversePayment undoes a posted payment in one transaction: the ledger
// matches that settled its lines (its allocations, credits applied from
// it) are undone, so the documents it paid are open again, then its entry
// is reversed, and the reversal settles the payment's own lines. The
// payment keeps its content and becomes reversed.
func (s *Service) ReversePayment(ctx context.Context, companyID, id backoffice.ID, in ReversePaymentInput) (Payment, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if len(in.Reason) < 3 || len(in.Reason) > 500 {
		return Payment{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "say why the payment is reversed",
			Fields: map[string]string{"reason": "is required (3 to 500 characters)"}}
	}
	var p Payment
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE payments SET state = ?, reversal_reason = ?, version = version + 1, updated_at = ? WHERE id = ? AND company_id = ? AND state = ?`,
			string(PaymentReversed), in.Reason, s.now(), int64(id), int64(companyID), string(PaymentPosted))
		if err != nil {
			return fmt.Errorf("reverse payment: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if _, err := getPayment(ctx, tx, companyID, id); err != nil {
				return err
			}
			return backoffice.Errorf(backoffice.EConflict, "payment %d is already reversed", id)
		}
		p, err = getPayment(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		recs, err := s.Ledger.ReconciliationsOfEntry(ctx, tx, companyID, p.EntryID)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if err := s.Ledger.UnmatchTx(ctx, tx, companyID, r, "payment "+p.Number+" reversed: "+in.Reason); err != nil {
				return err
			}
		}
		e, err := s.Ledger.ReverseTx(ctx, tx, companyID, p.EntryID, in.Date, in.Reason)
		if err != nil {
			return paymentLedgerError(err)
		}
		p.ReversalEntryID = e.ID
		if _, err := tx.ExecContext(ctx, `UPDATE payments SET reversal_entry_id = ? WHERE id = ?`, int64(e.ID), int64(p.ID)); err != nil {
			return fmt.Errorf("reverse payment: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: paymentEntity, EntityID: p.ID.String(), Action: "reverse",
			Old: map[string]any{"state": PaymentPosted}, New: map[string]any{"state": PaymentReversed, "reversal_entry_id": e.ID}, Reason: in.Reason})
		return err
	})
	return p, err
}
