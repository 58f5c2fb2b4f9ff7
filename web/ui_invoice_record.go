package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/invoice"
)

// docView is the record page of an invoice, credit note, bill or refund.
type docView struct {
	Doc                  invoice.Document
	Title, KindLabel     string
	Badge                string
	Side                 docSide
	Lines                []docLineView
	Allowances           []docAllowanceView
	Totals               docTotals
	Credits, CancelledBy *invoice.Document
	EntryURL, EntryLabel string
	History              []historyItem
	Editable, Postable   bool
	HasDiscount          bool // a line has a discount: the column shows
	Cancellable          bool
	Creditable           bool                    // a partial credit note may be written
	CreditNotes          []invoice.Document      // the credit notes (refunds) of this document
	Duplicates           []invoice.DuplicateBill // bills this one may duplicate, after a refused post
	PostErrors           *formErrors
	CancelErrors         *formErrors
	CancelDate, Reason   string
	DuplicateReason      string
	Today                string
}

// Money writes an amount of the document's currency with the currency.
func (v *docView) Money(n int64) string { return backoffice.NewMoney(n, v.Doc.Currency).String() }

// KindLower is the kind in running text: "credit note".
func (v *docView) KindLower() string { return lowerFirst(v.KindLabel) }

type docLineView struct {
	No                                           int
	Description, Quantity, Unit, Price, Discount string
	Tax, Account, AccountName, AccountURL, Net   string
}

type docAllowanceView struct {
	Kind, Reason, Tax, Account, Amount string
}

func (s *Server) documentShow(w http.ResponseWriter, r *http.Request) error {
	_, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	return s.docPage(w, r, http.StatusOK, d, nil)
}

// docPage renders a document: header, lines, tax breakdown, totals, its
// links to the ledger and to its credit notes, the actions its state
// allows and its history. v, when given, carries a failed action's messages.
func (s *Server) docPage(w http.ResponseWriter, r *http.Request, status int, d invoice.Document, v *docView) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if v == nil {
		v = &docView{}
	}
	p := principal(r)
	v.Doc, v.Title, v.KindLabel, v.Badge, v.Side = d, docTitle(d), docKindLabel(d.Kind), docStateBadge(d.State), sideOf(d.Kind)
	v.Totals, v.Today = totalsOf(d), s.today().String()
	if d.State != invoice.StateDraft {
		b, err := s.Invoice.Balance(ctx, company, d)
		if err != nil {
			return err
		}
		paid := "Paid"
		if d.Kind.Credit() {
			paid = "Used (applied or paid out)"
		}
		v.Totals.Rows = append(v.Totals.Rows, docTotalRow{Label: paid, Amount: v.Money(b.Paid)}, docTotalRow{Label: "Open amount", Amount: v.Money(b.Open), Due: true})
	}
	v.Editable = d.State == invoice.StateDraft && p.Can("invoice.manage")
	v.Postable = d.State == invoice.StateDraft && p.Can("invoice.post")
	v.Cancellable = d.State == invoice.StatePosted && !d.Kind.Credit() && p.Can("invoice.post")
	v.Creditable = d.State == invoice.StatePosted && !d.Kind.Credit() && p.Can("invoice.manage")
	if v.CreditNotes, err = s.creditsOf(r, company, d); err != nil {
		return err
	}
	v.EntryLabel = "entry " + d.EntryID.String()
	if d.EntryID != 0 && p.Can("ledger.read") && s.Ledger != nil {
		v.EntryURL = "/ledger/entries/" + d.EntryID.String()
		e, err := s.Ledger.GetEntry(ctx, company, d.EntryID)
		if err != nil {
			return err
		}
		v.EntryLabel = e.Number + " of " + e.Date.String()
	}
	names := map[backoffice.ID][2]string{}
	account := func(id backoffice.ID) [2]string {
		if n, ok := names[id]; ok || s.Ledger == nil || id == 0 {
			return n
		}
		if a, err := s.Ledger.GetAccount(ctx, company, id); err == nil {
			names[id] = [2]string{a.Code, a.Name}
		}
		return names[id]
	}
	for _, l := range d.Lines {
		a := account(l.AccountID)
		lv := docLineView{No: l.LineNo, Description: l.Description, Quantity: l.Quantity.String(), Unit: l.Unit,
			Price: decimal(l.UnitPrice, d.Currency), Tax: strings.Join(l.TaxCodes, ", "), Account: a[0], AccountName: a[1],
			Net: decimal(l.NetAmount, d.Currency)}
		if l.DiscountPercent != 0 {
			lv.Discount, v.HasDiscount = l.DiscountPercent.String()+" %", true
		}
		if p.Can("ledger.read") && l.AccountID != 0 {
			lv.AccountURL = "/ledger/accounts/" + l.AccountID.String()
		}
		v.Lines = append(v.Lines, lv)
	}
	for _, a := range d.Allowances {
		av := docAllowanceView{Kind: "Allowance", Reason: a.Reason, Tax: a.TaxCode, Account: account(a.AccountID)[0], Amount: decimal(-a.Amount, d.Currency)}
		if a.Charge {
			av.Kind, av.Amount = "Charge", decimal(a.Amount, d.Currency)
		}
		v.Allowances = append(v.Allowances, av)
	}
	for _, link := range []struct {
		id  backoffice.ID
		dst **invoice.Document
	}{{d.CreditsID, &v.Credits}, {d.CancelledByID, &v.CancelledBy}} {
		if link.id != 0 {
			other, err := s.Invoice.Get(ctx, company, link.id)
			if err != nil {
				return err
			}
			*link.dst = &other
		}
	}
	recs, err := s.history(r, "invoice_document", d.ID.String())
	if err != nil {
		return err
	}
	v.History = docHistory(recs, d.Currency)
	return s.render(w, r, status, "invoice", v.Title, v)
}

// documentPost posts a draft from its page. A bill that may duplicate
// another is shown again with the other bills and a field for the reason
// to record it anyway.
func (s *Server) documentPost(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	version, _ := backoffice.ParseID(r.PostForm.Get("version"))
	reason := strings.TrimSpace(r.PostForm.Get("duplicate_reason"))
	posted, err := s.Invoice.Post(r.Context(), company, d.ID, invoice.PostOptions{Version: int64(version), DuplicateReason: reason})
	if err == nil {
		return redirectFlash(w, r, "/invoices/"+posted.ID.String(), "Posted as "+posted.Number+".")
	}
	fe, ferr := ledgerFormFailure(err)
	if ferr != nil {
		return ferr
	}
	status := backoffice.HTTPStatus(backoffice.ErrorCode(err))
	v := &docView{PostErrors: fe, DuplicateReason: reason}
	if fe.Fields["duplicate_reason"] != "" {
		if v.Duplicates, err = s.Invoice.DuplicatesAtPosting(r.Context(), company, d.ID); err != nil {
			return err
		}
	} else if len(fe.Fields) > 0 && backoffice.ErrorCode(err) == backoffice.EInvalid {
		// The draft's form shows each problem next to its field.
		f := &docForm{Kind: d.Kind, Side: sideOf(d.Kind)}
		if err := s.docFormChoices(r, company, f); err != nil {
			return err
		}
		f = docFormOf(d, f.Accounts, f.Products)
		return s.docFormPage(w, r, company, f, &backoffice.Error{Code: backoffice.EInvalid, Message: fe.Message, Fields: fe.Fields})
	}
	return s.docPage(w, r, status, d, v)
}

// documentCancel cancels a posted invoice or bill with a credit note (or
// refund) posted at once, and shows the credit note.
func (s *Server) documentCancel(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	dateText, reason := strings.TrimSpace(r.PostForm.Get("date")), r.PostForm.Get("reason")
	var date backoffice.Date
	if dateText != "" {
		date, err = backoffice.ParseDate(dateText)
	}
	if err != nil {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "the credit note's date is not a date", Fields: map[string]string{"date": "must be a date as YYYY-MM-DD"}}
	} else {
		var credit invoice.Document
		if credit, err = s.Invoice.Cancel(r.Context(), company, d.ID, invoice.CancelInput{Date: date, Reason: reason}); err == nil {
			return redirectFlash(w, r, "/invoices/"+credit.ID.String(), "Cancelled "+d.Number+" with "+credit.Number+".")
		}
	}
	fe, ferr := ledgerFormFailure(err)
	if ferr != nil {
		return ferr
	}
	return s.docPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), d, &docView{CancelErrors: fe, CancelDate: dateText, Reason: reason})
}

// documentDelete deletes a draft.
func (s *Server) documentDelete(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	version, _ := backoffice.ParseID(r.PostForm.Get("version"))
	if err := s.Invoice.Delete(r.Context(), company, d.ID, int64(version)); err != nil {
		return err
	}
	return redirectFlash(w, r, sideOf(d.Kind).Path, "Draft deleted.")
}

// docHistory is the history panel of a document, with amounts in its
// currency rather than minor units, lines in short, and empty fields left out.
func docHistory(recs []audit.Record, cur backoffice.Currency) []historyItem {
	out := make([]audit.Record, len(recs))
	for i, rec := range recs {
		rec.Old, rec.New = docChangeText(rec.Old, cur), docChangeText(rec.New, cur)
		out[i] = rec
	}
	return historyOf(out)
}

// docChangeText rewrites one side of a recorded change for people.
func docChangeText(raw json.RawMessage, cur backoffice.Currency) json.RawMessage {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return raw
	}
	for _, k := range []string{"payable", "tax_exclusive", "tax_total"} {
		if n, ok := m[k].(float64); ok {
			m[k] = decimal(int64(n), cur)
		}
	}
	if lines, ok := m["lines"].([]any); ok {
		parts := make([]string, 0, len(lines))
		for _, l := range lines {
			lm, _ := l.(map[string]any)
			price, _ := lm["unit_price"].(float64)
			parts = append(parts, fmt.Sprintf("%v × %v at %s", lm["quantity"], lm["description"], decimal(int64(price), cur)))
		}
		m["lines"] = strings.Join(parts, "; ")
	}
	if as, ok := m["allowances"].([]any); ok {
		parts := make([]string, 0, len(as))
		for _, a := range as {
			am, _ := a.(map[string]any)
			amount, _ := am["amount"].(float64)
			kind := "allowance"
			if am["charge"] == true {
				kind = "charge"
			}
			parts = append(parts, fmt.Sprintf("%s %s (%v)", kind, decimal(int64(amount), cur), am["reason"]))
		}
		m["allowances"] = strings.Join(parts, "; ")
	}
	for k, v := range m {
		if v == nil || v == "" {
			delete(m, k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return b
}
