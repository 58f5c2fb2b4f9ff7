package web

import (
	"net/http"
	"net/url"
	"strings"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
)

// applyForm is the data of the "Apply credits" page: a party's open
// documents and the credits (credit notes, payments' unallocated rests)
// that can settle them without money moving.
type applyForm struct {
	Parties   []option
	PartyID   string
	Documents []option
	Credits   []option // value "cn:<id>" for a credit note, "pay:<id>" for a payment
	Errors    *formErrors
	Loaded    bool
}

// paymentApplyPage shows the form; ?party_id= lists that party's documents and credits.
func (s *Server) paymentApplyPage(w http.ResponseWriter, r *http.Request) error {
	return s.applyFormPage(w, r, http.StatusOK, r.URL.Query(), nil)
}

func (s *Server) applyFormPage(w http.ResponseWriter, r *http.Request, status int, vals url.Values, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := applyForm{PartyID: vals.Get("party_id"), Errors: fe}
	parties, err := s.Party.List(ctx, company, party.Filter{})
	if err != nil {
		return err
	}
	f.Parties = append(f.Parties, option{Value: "", Label: "Choose a customer or supplier"})
	for _, p := range parties {
		f.Parties = append(f.Parties, option{Value: p.ID.String(), Label: p.Name() + " (" + string(p.Kind) + ")", Selected: f.PartyID == p.ID.String()})
	}
	partyID, _ := backoffice.ParseID(f.PartyID)
	if partyID == 0 {
		return s.render(w, r, status, "payment_apply", "Apply credits", f)
	}
	p, err := s.Party.Get(ctx, company, partyID)
	if err != nil {
		return err
	}
	f.Loaded = true
	for _, sales := range []bool{true, false} {
		if (sales && p.Kind == party.KindSupplier) || (!sales && p.Kind == party.KindCustomer) {
			continue
		}
		open, err := s.Invoice.OpenDocuments(ctx, company, partyID, sales)
		if err != nil {
			return err
		}
		for _, o := range open {
			label := o.Number + " · open " + backoffice.FormatMinor(o.Balance.Open, o.Currency.Exponent()) + " " + string(o.Currency)
			if o.Kind.Credit() {
				f.Credits = append(f.Credits, option{Value: "cn:" + o.ID.String(), Label: label, Selected: vals.Get("credit") == "cn:"+o.ID.String()})
			} else {
				f.Documents = append(f.Documents, option{Value: o.ID.String(), Label: label + " · due " + o.DueDate.String(), Selected: vals.Get("document_id") == o.ID.String()})
			}
		}
	}
	list, err := s.Invoice.ListPayments(ctx, company, invoice.PaymentFilter{PartyID: partyID, State: invoice.PaymentPosted, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
	if err != nil {
		return err
	}
	for _, pay := range list.Items {
		if pay.UnallocatedLine != 0 {
			f.Credits = append(f.Credits, option{Value: "pay:" + pay.ID.String(), Label: pay.Number + " · credit of " +
				backoffice.FormatMinor(pay.Unallocated, pay.Currency.Exponent()) + " " + string(pay.Currency) + " left on " + pay.Date.String(),
				Selected: vals.Get("credit") == "pay:"+pay.ID.String()})
		}
	}
	return s.render(w, r, status, "payment_apply", "Apply credits", f)
}

// paymentApplyCredit applies the chosen credit to the chosen document.
func (s *Server) paymentApplyCredit(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	docID, _ := backoffice.ParseID(vals.Get("document_id"))
	var in invoice.ApplyCreditInput
	kind, id, _ := strings.Cut(vals.Get("credit"), ":")
	creditID, _ := backoffice.ParseID(id)
	if kind == "cn" {
		in.CreditNoteID = creditID
	} else {
		in.PaymentID = creditID
	}
	app, err := s.Invoice.ApplyCredit(r.Context(), company, docID, in)
	if err != nil {
		fe, ferr := paymentFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.applyFormPage(w, r, http.StatusUnprocessableEntity, vals, fe)
	}
	d, err := s.Invoice.Get(r.Context(), company, docID)
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/payments/apply?party_id="+d.PartyID.String(), "Applied "+app.Credit+" to "+d.Number+": "+
		backoffice.FormatMinor(app.Amount, d.Currency.Exponent())+" "+string(d.Currency)+" settled, "+backoffice.FormatMinor(app.Balance.Open, d.Currency.Exponent())+" open.")
}
