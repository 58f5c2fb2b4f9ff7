package web

import (
	"net/http"

	"backoffice"
	"backoffice/invoice"
)

// creditKind is the kind that credits k: a credit note for an invoice, a
// refund for a bill.
func creditKind(k invoice.Kind) invoice.Kind {
	if k.Sales() {
		return invoice.KindCreditNote
	}
	return invoice.KindRefund
}

// creditForm is a new credit note (or refund) of the posted document id,
// with its party, currency and lines, for the user to reduce to what is
// credited. Cancelling credits the whole rest at once; this is for part.
func (s *Server) creditForm(r *http.Request, company, id backoffice.ID) (*docForm, error) {
	orig, err := s.Invoice.Get(r.Context(), company, id)
	if err != nil {
		return nil, err
	}
	if orig.State != invoice.StatePosted || orig.Kind.Credit() {
		return nil, backoffice.Errorf(backoffice.EConflict, "only a posted invoice or bill that is not cancelled can be credited; %s is %s", docTitle(orig), orig.State)
	}
	choices := &docForm{Kind: orig.Kind, Side: sideOf(orig.Kind)}
	if err := s.docFormChoices(r, company, choices); err != nil {
		return nil, err
	}
	f := docFormOf(orig, choices.Accounts, choices.Products)
	f.ID, f.Version, f.Kind, f.Installments = 0, 0, creditKind(orig.Kind), nil
	for _, k := range []string{"due_date", "supplier_reference", "duplicate_reason", "early_discount_percent", "early_discount_days"} {
		delete(f.V, k)
	}
	f.V["issue_date"], f.V["credits_id"] = s.today().String(), orig.ID.String()
	return f, nil
}

// creditsLabel names the document a credit form credits, for its note.
func (s *Server) creditsLabel(r *http.Request, company backoffice.ID, f *docForm) error {
	id, err := backoffice.ParseID(f.V["credits_id"])
	if err != nil || id == 0 {
		return nil
	}
	orig, err := s.Invoice.Get(r.Context(), company, id)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return nil // the save names the field
	}
	if err != nil {
		return err
	}
	f.Credits = &orig
	return nil
}

// creditsOf lists the credit notes (refunds) of a document, newest first.
func (s *Server) creditsOf(r *http.Request, company backoffice.ID, d invoice.Document) ([]invoice.Document, error) {
	if d.Kind.Credit() || d.State == invoice.StateDraft {
		return nil, nil
	}
	f := invoice.BrowseFilter{Kinds: []invoice.Kind{creditKind(d.Kind)}, CreditsID: d.ID}
	f.Page.Limit = backoffice.MaxPageLimit
	list, err := s.Invoice.Browse(r.Context(), company, f)
	return list.Items, err
}

// CreditsTotal is the amount due of the credited document, with its currency.
func (f *docForm) CreditsTotal() string {
	if f.Credits == nil {
		return ""
	}
	return backoffice.NewMoney(f.Credits.Totals.Payable, f.Credits.Currency).String()
}
