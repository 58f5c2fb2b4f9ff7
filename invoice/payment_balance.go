package invoice

import (
	"context"
	"fmt"

	"backoffice"
	"backoffice/ledger"
)

// PaymentStatus says how much of a posted document is paid.
type PaymentStatus string

// The payment statuses. A credit note or refund is "paid" when its credit
// is used up (applied to invoices or paid out).
const (
	Unpaid     PaymentStatus = "unpaid"
	PartlyPaid PaymentStatus = "partly_paid"
	FullyPaid  PaymentStatus = "paid"
)

// Balance is what the ledger says of a posted document: Open is what is
// still open of its receivable (payable) lines, Paid what payments, credits
// and write-offs settled; both positive, in the document currency.
type Balance struct {
	DocumentID backoffice.ID `json:"document_id"`
	Open       int64         `json:"open"`
	Paid       int64         `json:"paid"`
	Status     PaymentStatus `json:"status"`
}

// Balances derives the payment status of documents from their open items
// in the ledger, in one query per 500 documents. Drafts get no balance.
func (s *Service) Balances(ctx context.Context, companyID backoffice.ID, docs []Document) (map[backoffice.ID]Balance, error) {
	var entries []backoffice.ID
	for _, d := range docs {
		if d.EntryID != 0 {
			entries = append(entries, d.EntryID)
		}
	}
	items, err := s.Ledger.OpenItemsOfEntries(ctx, s.DB, companyID, entries)
	if err != nil {
		return nil, err
	}
	out := map[backoffice.ID]Balance{}
	for _, d := range docs {
		if d.EntryID == 0 || d.State == StateDraft {
			continue
		}
		var open int64
		for _, l := range d.EntryLines() {
			open += items[ledger.LineRef{EntryID: d.EntryID, LineNo: l}].Residual
		}
		out[d.ID] = balanceOf(d, abs64(open))
	}
	return out, nil
}

// Balance is Balances for one document.
func (s *Service) Balance(ctx context.Context, companyID backoffice.ID, d Document) (Balance, error) {
	bs, err := s.Balances(ctx, companyID, []Document{d})
	if err != nil {
		return Balance{}, err
	}
	return bs[d.ID], nil
}

func balanceOf(d Document, open int64) Balance {
	b := Balance{DocumentID: d.ID, Open: open, Paid: d.Totals.Payable - open, Status: PartlyPaid}
	switch {
	case open == 0:
		b.Status = FullyPaid
	case open >= d.Totals.Payable:
		b.Status, b.Paid = Unpaid, 0
	}
	return b
}

// OpenDocument is a posted document of a party with what is still open of it.
type OpenDocument struct {
	Document
	Balance Balance `json:"balance"`
}

// OpenDocuments lists the party's posted documents that still have
// something open, oldest due date first: what a payment can be allocated
// to. Sales selects invoices and credit notes, else bills and refunds.
func (s *Service) OpenDocuments(ctx context.Context, companyID, partyID backoffice.ID, sales bool) ([]OpenDocument, error) {
	kinds := []string{string(KindBill), string(KindRefund)}
	if sales {
		kinds = []string{string(KindInvoice), string(KindCreditNote)}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+documentColumns+documentFrom+` WHERE d.company_id = ? AND d.party_id = ? AND d.state = ?
		AND d.kind IN (?, ?) AND EXISTS (SELECT 1 FROM ledger_open_items o WHERE o.entry_id = d.entry_id AND o.settled_on IS NULL AND o.residual <> 0)
		ORDER BY d.due_date, d.id LIMIT 500`, int64(companyID), int64(partyID), string(StatePosted), kinds[0], kinds[1])
	if err != nil {
		return nil, fmt.Errorf("list open documents: %w", err)
	}
	var docs []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list open documents: %w", err)
		}
		docs = append(docs, d)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("list open documents: %w", err)
	}
	for i := range docs {
		if err := loadInstallments(ctx, s.DB, &docs[i]); err != nil {
			return nil, err
		}
	}
	bs, err := s.Balances(ctx, companyID, docs)
	if err != nil {
		return nil, err
	}
	out := []OpenDocument{}
	for _, d := range docs {
		if b := bs[d.ID]; b.Open > 0 {
			out = append(out, OpenDocument{Document: d, Balance: b})
		}
	}
	return out, nil
}

// Settles reports whether a payment in direction d settles documents of
// kind k: money received settles invoices (and supplier refunds), money
// paid settles bills (and customer credit notes, as refunds).
func (d Direction) Settles(k Kind) bool {
	return k.Credit() == (k.Sales() == (d == Paid))
}

// SuggestAllocations spreads amount over the open documents a payment in
// direction d settles, oldest due first, each up to what is open of it:
// the prefilled allocation of the payment form and of the CLI's --auto.
func SuggestAllocations(open []OpenDocument, d Direction, amount int64) []AllocationInput {
	var out []AllocationInput
	for _, o := range open {
		if amount <= 0 {
			break
		}
		if !d.Settles(o.Kind) {
			continue
		}
		a := min(amount, o.Balance.Open)
		out = append(out, AllocationInput{DocumentID: o.ID, Amount: a})
		amount -= a
	}
	return out
}
