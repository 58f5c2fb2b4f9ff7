package web

import (
	"net/http"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
)

// paymentView is the data of a payment's record page.
type paymentView struct {
	Payment      invoice.Payment
	Amount       string
	Unallocated  string
	WriteOff     string
	Allocations  []allocationRow
	CreditOpen   string // what of the unallocated credit is still open
	ApplyTo      []option
	CanManage    bool
	Reversible   bool
	Errors       *formErrors
	ReverseDate  string
	Reason       string
	History      []historyItem
	WriteOffCode string
}

type allocationRow struct {
	URL, Label       string
	Amount, Discount string
}

func (s *Server) paymentShow(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.paymentOf(r)
	if err != nil {
		return err
	}
	return s.paymentPage(w, r, http.StatusOK, p, nil)
}

// paymentPage renders a payment: fields, allocations, the credit it left
// with a form to apply it, the reversal form and the history.
func (s *Server) paymentPage(w http.ResponseWriter, r *http.Request, status int, p invoice.Payment, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	exp := p.Currency.Exponent()
	amt := func(n int64) string { return backoffice.FormatMinor(n, exp) + " " + string(p.Currency) }
	v := paymentView{Payment: p, Amount: amt(p.Amount), Unallocated: amt(p.Unallocated), WriteOff: amt(p.WriteOff), Errors: fe,
		CanManage: principal(r).Can("payment.manage"), ReverseDate: s.today().String()}
	if fe != nil {
		v.Reason = r.PostForm.Get("reason")
	}
	v.Reversible = v.CanManage && p.State == invoice.PaymentPosted
	for _, a := range p.Allocations {
		row := allocationRow{Amount: amt(a.Amount), Discount: backoffice.FormatMinor(a.Discount, exp)}
		if a.DocumentID != 0 {
			row.URL, row.Label = "/invoices/"+a.DocumentID.String(), a.DocumentNumber
		} else {
			row.URL, row.Label = "/payments/"+a.PaymentID.String(), "Credit of "+a.PaymentNumber
		}
		v.Allocations = append(v.Allocations, row)
	}
	if p.WriteOffAccountID != 0 {
		if a, err := s.Ledger.GetAccount(r.Context(), company, p.WriteOffAccountID); err == nil {
			v.WriteOffCode = a.Code + " " + a.Name
		}
	}
	if p.State == invoice.PaymentPosted && p.UnallocatedLine != 0 {
		if err := s.creditOptions(r, company, p, &v); err != nil {
			return err
		}
	}
	recs, err := s.history(r, "payment", p.ID.String())
	if err != nil {
		return err
	}
	v.History = historyOf(recs)
	return s.render(w, r, status, "payment", p.Number, v)
}

// creditOptions fills what is still open of the payment's credit and the
// party's open documents it can be applied to.
func (s *Server) creditOptions(r *http.Request, company backoffice.ID, p invoice.Payment, v *paymentView) error {
	items, err := s.Ledger.OpenItemsOfEntries(r.Context(), s.DB, company, []backoffice.ID{p.EntryID})
	if err != nil {
		return err
	}
	for ref, it := range items {
		if ref.LineNo == p.UnallocatedLine && it.Residual != 0 {
			v.CreditOpen = backoffice.FormatMinor(max(it.Residual, -it.Residual), p.Currency.Exponent()) + " " + string(p.Currency)
		}
	}
	if v.CreditOpen == "" {
		return nil
	}
	pa, err := s.Party.Get(r.Context(), company, p.PartyID)
	if err != nil {
		return err
	}
	sales := pa.Kind == party.KindCustomer || (pa.Kind == party.KindBoth && p.Direction == invoice.Received)
	open, err := s.Invoice.OpenDocuments(r.Context(), company, p.PartyID, sales)
	if err != nil {
		return err
	}
	for _, o := range open {
		if o.Currency == p.Currency && p.Direction.Settles(o.Kind) {
			v.ApplyTo = append(v.ApplyTo, option{Value: o.ID.String(), Label: o.Number + " · due " + o.DueDate.String() + " · open " +
				backoffice.FormatMinor(o.Balance.Open, o.Currency.Exponent())})
		}
	}
	return nil
}

func (s *Server) paymentReverse(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.paymentOf(r)
	if err != nil {
		return err
	}
	in := invoice.ReversePaymentInput{Reason: r.PostForm.Get("reason")}
	if d := r.PostForm.Get("date"); d != "" {
		if in.Date, err = backoffice.ParseDate(d); err != nil {
			return s.paymentPage(w, r, http.StatusUnprocessableEntity, p, &formErrors{Message: "Please correct the marked fields.",
				Fields: map[string]string{"date": "must be a date, YYYY-MM-DD"}})
		}
	}
	if _, err := s.Invoice.ReversePayment(r.Context(), company, p.ID, in); err != nil {
		fe, ferr := paymentFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.paymentPage(w, r, http.StatusUnprocessableEntity, p, fe)
	}
	return redirectFlash(w, r, "/payments/"+p.ID.String(), "Payment "+p.Number+" reversed: what it paid is open again.")
}

func (s *Server) paymentApply(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.paymentOf(r)
	if err != nil {
		return err
	}
	docID, _ := backoffice.ParseID(r.PostForm.Get("document_id"))
	app, err := s.Invoice.ApplyCredit(r.Context(), company, docID, invoice.ApplyCreditInput{PaymentID: p.ID})
	if err != nil {
		fe, ferr := paymentFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.paymentPage(w, r, http.StatusUnprocessableEntity, p, fe)
	}
	return redirectFlash(w, r, "/payments/"+p.ID.String(), "Applied "+backoffice.FormatMinor(app.Amount, p.Currency.Exponent())+" of the credit.")
}
