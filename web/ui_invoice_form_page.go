package web

import (
	"encoding/json"
	"net/http"

	"backoffice"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
)

// docFormChoices loads what the form offers: parties of the side, active tax
// codes, active products and usable ledger accounts.
func (s *Server) docFormChoices(r *http.Request, company backoffice.ID, f *docForm) error {
	ctx := r.Context()
	var err error
	if s.Party != nil {
		if f.Parties, err = s.Party.List(ctx, company, party.Filter{Kind: f.Side.PartyKind}); err != nil {
			return err
		}
	}
	codes, err := s.Invoice.ListTaxCodes(ctx, company, false)
	if err != nil {
		return err
	}
	f.TaxCodes = codes
	pf := invoice.ProductFilter{Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for range 20 {
		list, err := s.Invoice.ListProducts(ctx, company, pf)
		if err != nil {
			return err
		}
		f.Products = append(f.Products, list.Items...)
		if list.Next == "" {
			break
		}
		pf.Page.After = list.Next
	}
	if s.Ledger != nil {
		if f.Accounts, err = s.postableAccounts(r, company); err != nil {
			return err
		}
	}
	return nil
}

// productFill is what choosing a product fills in on a line.
type productFill struct {
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Price    string `json:"price"`
	Currency string `json:"currency"`
	Tax      string `json:"tax"`
	Account  string `json:"account"`
}

// fillJSON describes the products for invoice.js: the income account on
// sales, the expense account on purchases.
func (f *docForm) fillJSON() string {
	codes := map[backoffice.ID]string{}
	for _, a := range f.Accounts {
		codes[a.ID] = a.Code
	}
	out := map[string]productFill{}
	for _, p := range f.Products {
		acc := p.ExpenseAccountID
		if f.Kind.Sales() {
			acc = p.IncomeAccountID
		}
		out[p.Code] = productFill{Name: p.Name, Unit: p.Unit, Price: decimal(p.UnitPrice, p.Currency), Currency: string(p.Currency), Tax: p.TaxCode, Account: codes[acc]}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// docFormPage renders the form; err, when given, is why the last save
// failed, spread over the fields and rows it names.
func (s *Server) docFormPage(w http.ResponseWriter, r *http.Request, company backoffice.ID, f *docForm, err error) error {
	status := http.StatusOK
	if err != nil {
		fe, ferr := ledgerFormFailure(err)
		if ferr != nil {
			return ferr
		}
		f.Errors, status = fe, backoffice.HTTPStatus(backoffice.ErrorCode(err))
		if len(fe.Fields) > 0 && backoffice.ErrorCode(err) == backoffice.EInvalid {
			f.Errors.Message = "Please correct the marked fields: nothing was saved."
		}
	}
	if !f.Kind.Valid() {
		f.Kind = invoice.KindInvoice
	}
	f.Side = sideOf(f.Kind)
	if cerr := s.docFormChoices(r, company, f); cerr != nil {
		return cerr
	}
	if cerr := s.creditsLabel(r, company, f); cerr != nil {
		return cerr
	}
	if f.Errors != nil {
		f.spreadErrors()
	}
	// Blank rows at the end were the form's spare ones: they are offered
	// again, not added to, when a save fails.
	for len(f.Lines) > 0 && f.Lines[len(f.Lines)-1].blank() {
		f.Lines = f.Lines[:len(f.Lines)-1]
	}
	for len(f.Allowances) > 0 && f.Allowances[len(f.Allowances)-1].blank() {
		f.Allowances = f.Allowances[:len(f.Allowances)-1]
	}
	blank := 1
	if len(f.Lines) == 0 {
		blank = docBlankLines
	}
	for range blank {
		f.Lines = append(f.Lines, docFormLine{})
	}
	f.Allowances = append(f.Allowances, docFormAllowance{Type: "allowance"})
	for i := range f.Lines {
		f.Lines[i].No = i + 1
	}
	for i := range f.Allowances {
		f.Allowances[i].No = i + 1
	}
	f.ProductsJSON = f.fillJSON()
	f.CanPost = principal(r).Can("invoice.post")
	f.Totals = s.docPreview(r, company, f)
	title := "New " + lowerFirst(docKindLabel(f.Kind))
	if f.ID != 0 {
		title = "Edit draft " + lowerFirst(docKindLabel(f.Kind)) + " " + f.ID.String()
	}
	return s.render(w, r, status, "invoice_form", title, f)
}

func (s *Server) invoiceNew(w http.ResponseWriter, r *http.Request) error {
	return s.documentNew(w, r, salesSide)
}

func (s *Server) billNew(w http.ResponseWriter, r *http.Request) error {
	return s.documentNew(w, r, purchaseSide)
}

// documentNew shows an empty form of the side's first kind (?kind= picks
// the other, ?party= preselects the party), or with ?credits=ID a credit
// note (refund) of that posted document, its lines ready to reduce.
func (s *Server) documentNew(w http.ResponseWriter, r *http.Request, side docSide) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if c := q.Get("credits"); c != "" {
		id, err := backoffice.ParseID(c)
		if err != nil {
			return err
		}
		f, err := s.creditForm(r, company, id)
		if err != nil {
			return err
		}
		return s.docFormPage(w, r, company, f, nil)
	}
	f := &docForm{Kind: side.Kinds[0], V: map[string]string{"issue_date": s.today().String(), "party_id": q.Get("party")}}
	if k := invoice.Kind(q.Get("kind")); sideOf(k).Path == side.Path && k.Valid() {
		f.Kind = k
	}
	return s.docFormPage(w, r, company, f, nil)
}

// documentCreate saves the form as a draft, and posts it when asked.
func (s *Server) documentCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := readDocForm(r.PostForm)
	if !f.Kind.Valid() {
		f.Kind = invoice.KindInvoice
	}
	return s.docSave(w, r, company, f, 0)
}

// docSave creates (id 0) or updates the draft, then posts it when the
// Post button was used; "Preview totals" only shows the form again.
func (s *Server) docSave(w http.ResponseWriter, r *http.Request, company backoffice.ID, f *docForm, id backoffice.ID) error {
	action := r.PostForm.Get("action")
	if action == "preview" {
		return s.docFormPage(w, r, company, f, nil)
	}
	if action == "post" && !principal(r).Can("invoice.post") {
		return backoffice.Errorf(backoffice.EForbidden, "you may save drafts but not post them: ask someone with the invoice.post permission")
	}
	var accounts []ledger.Account
	if s.Ledger != nil {
		var err error
		if accounts, err = s.postableAccounts(r, company); err != nil {
			return err
		}
	}
	in, bad := docInput(f, baseCurrency(r), docAccounts(accounts))
	if len(bad) > 0 {
		// The service's messages for the rest, so every bad field shows at once.
		fields := map[string]string{}
		if _, perr := s.Invoice.Preview(r.Context(), company, in); perr != nil {
			if e, ok := perr.(*backoffice.Error); ok && backoffice.ErrorCode(perr) == backoffice.EInvalid {
				fields = e.Fields
			}
		}
		for k, m := range bad {
			fields[k] = m
		}
		return s.docFormPage(w, r, company, f, &backoffice.Error{Code: backoffice.EInvalid, Message: "some fields could not be read", Fields: fields})
	}
	var d invoice.Document
	var err error
	if id == 0 {
		d, err = s.Invoice.Create(r.Context(), company, in)
	} else {
		d, err = s.Invoice.Update(r.Context(), company, id, f.Version, in)
	}
	if err != nil {
		return s.docFormPage(w, r, company, f, err)
	}
	if action != "post" {
		return redirectFlash(w, r, "/invoices/"+d.ID.String(), "Draft saved.")
	}
	posted, err := s.Invoice.Post(r.Context(), company, d.ID, invoice.PostOptions{Version: d.Version, DuplicateReason: in.DuplicateReason})
	if err != nil {
		f.ID, f.Version = d.ID, d.Version
		return s.docFormPage(w, r, company, f, err)
	}
	return redirectFlash(w, r, "/invoices/"+posted.ID.String(), "Posted as "+posted.Number+".")
}

func (s *Server) documentEdit(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	if d.State != invoice.StateDraft {
		return backoffice.Errorf(backoffice.EConflict, "%s is posted and never changes: cancel it with a credit note instead", d.Number)
	}
	f := &docForm{Kind: d.Kind, Side: sideOf(d.Kind)}
	if err := s.docFormChoices(r, company, f); err != nil {
		return err
	}
	f = docFormOf(d, f.Accounts, f.Products)
	return s.docFormPage(w, r, company, f, nil)
}

// documentUpdate saves a draft's new content and, when asked, posts it.
func (s *Server) documentUpdate(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	f := readDocForm(r.PostForm)
	f.ID = d.ID
	if f.Version == 0 {
		f.Version = d.Version
	}
	if !f.Kind.Valid() {
		f.Kind = d.Kind
	}
	return s.docSave(w, r, company, f, d.ID)
}
