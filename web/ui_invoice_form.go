package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
)

// docBlankLines is how many empty line rows a new document form shows;
// without JavaScript they are all there is, with it "Add line" adds more.
const docBlankLines = 3

// docForm is the new-document and edit-draft form. Header fields are kept as
// typed in V under the invoice package's field names ("issue_date"), so a
// failed save shows each message beside its field.
type docForm struct {
	ID           backoffice.ID
	Version      int64
	Side         docSide
	Kind         invoice.Kind
	V            map[string]string
	Lines        []docFormLine
	Allowances   []docFormAllowance
	Installments []invoice.InstallmentInput // kept from the API: the form does not edit them
	Errors       *formErrors
	Parties      []party.Party
	TaxCodes     []invoice.TaxCode
	Products     []invoice.Product
	ProductsJSON string // code -> what a product fills in, for invoice.js
	Accounts     []ledger.Account
	Totals       docTotals
	CanPost      bool
}

// docFormLine is one row of the lines grid, as typed, with its messages.
type docFormLine struct {
	No                                                              int
	Product, Description, Quantity, Unit, Price, Discount, Tax, Acc string
	Dims                                                            string // the line's dimensions as JSON, kept as they are
	Errors                                                          map[string]string
}

// docFormAllowance is one row of the allowances and charges grid.
type docFormAllowance struct {
	No                       int
	Type                     string // "allowance" or "charge"
	Amount, Reason, Tax, Acc string
	Errors                   map[string]string
}

// docTotals is the totals preview and the record page's totals: the tax
// breakdown and the document totals as text, or why they cannot be
// computed yet.
type docTotals struct {
	Problems []string
	Taxes    []docTaxRow
	Rows     []docTotalRow
}

// docTaxRow is one row of the tax breakdown (EN 16931 BG-23).
type docTaxRow struct{ Code, Category, Rate, Taxable, Tax string }

// docTotalRow is one document total, named in plain words.
type docTotalRow struct {
	Label, Amount string
	Due           bool
}

// totalsOf is the tax breakdown and the totals of a document (EN 16931
// BT-106 to BT-115), each amount with its currency.
func totalsOf(d invoice.Document) docTotals {
	m := func(n int64) string { return backoffice.NewMoney(n, d.Currency).String() }
	var out docTotals
	for _, t := range d.Taxes {
		cat := t.Category
		if t.ExemptionReason != "" {
			cat += " · " + t.ExemptionReason
		}
		out.Taxes = append(out.Taxes, docTaxRow{Code: t.TaxCode, Category: cat, Rate: t.Rate.String() + " %", Taxable: m(t.TaxableAmount), Tax: m(t.TaxAmount)})
	}
	t := d.Totals
	out.Rows = append(out.Rows, docTotalRow{Label: "Sum of the lines", Amount: m(t.LineTotal)})
	if t.AllowanceTotal != 0 {
		out.Rows = append(out.Rows, docTotalRow{Label: "Allowances", Amount: m(-t.AllowanceTotal)})
	}
	if t.ChargeTotal != 0 {
		out.Rows = append(out.Rows, docTotalRow{Label: "Charges", Amount: m(t.ChargeTotal)})
	}
	out.Rows = append(out.Rows, docTotalRow{Label: "Total without tax", Amount: m(t.TaxExclusive)}, docTotalRow{Label: "Tax", Amount: m(t.TaxTotal)},
		docTotalRow{Label: "Total with tax", Amount: m(t.TaxInclusive)})
	if t.Withheld != 0 {
		out.Rows = append(out.Rows, docTotalRow{Label: "Tax withheld by the payer", Amount: m(-t.Withheld)})
	}
	out.Rows = append(out.Rows, docTotalRow{Label: "Amount due", Amount: m(t.Payable), Due: true})
	return out
}

// docOption is one choice of a select.
type docOption struct {
	Value, Label string
	Selected     bool
}

// KindOptions are the kinds the form's side offers.
func (f *docForm) KindOptions() []docOption {
	out := make([]docOption, 0, len(f.Side.Kinds))
	for _, k := range f.Side.Kinds {
		out = append(out, docOption{Value: string(k), Label: docKindLabel(k), Selected: k == f.Kind})
	}
	return out
}

// docField is one header input for the "doc-input" template.
type docField struct{ Name, Label, Type, Hint, Value, Error string }

// Field describes the header input name.
func (f *docForm) Field(name, label, typ, hint string) docField {
	return docField{Name: name, Label: label, Type: typ, Hint: hint, Value: f.V[name], Error: f.Err(name)}
}

// docTaxSelect is a tax code select of a grid row.
type docTaxSelect struct {
	Name    string
	Row     int
	Error   string
	Options []docOption
}

// TaxSelect offers the active tax codes, keeping a value that is not among
// them (an inactive code, or a VAT code with a withholding code).
func (f *docForm) TaxSelect(name string, row int, value, errText string) docTaxSelect {
	sel := docTaxSelect{Name: name, Row: row, Error: errText}
	found := value == ""
	for _, t := range f.TaxCodes {
		sel.Options = append(sel.Options, docOption{Value: t.Code, Label: t.Code, Selected: t.Code == value})
		found = found || t.Code == value
	}
	if !found {
		sel.Options = append(sel.Options, docOption{Value: value, Label: value, Selected: true})
	}
	return sel
}

// Err is the message of a header field, "" when it is fine.
func (f *docForm) Err(name string) string {
	if f.Errors == nil {
		return ""
	}
	return f.Errors.Fields[name]
}

// Sales reports whether the form is for an invoice or credit note.
func (f *docForm) Sales() bool { return f.Kind.Sales() }

// AskDuplicateReason shows the override field once a duplicate was found.
func (f *docForm) AskDuplicateReason() bool {
	return f.Err("duplicate_reason") != "" || f.V["duplicate_reason"] != ""
}

func (l docFormLine) blank() bool {
	return strings.TrimSpace(l.Product+l.Description+l.Quantity+l.Price+l.Discount+l.Acc) == ""
}

func (a docFormAllowance) blank() bool { return strings.TrimSpace(a.Amount+a.Reason) == "" }

// docHeaderFields are the header inputs kept as typed.
var docHeaderFields = []string{"party_id", "issue_date", "due_date", "currency", "rate", "payment_terms", "early_discount_percent",
	"early_discount_days", "notes", "supplier_reference", "credits_id", "duplicate_reason"}

// readDocForm reads the posted form: header, lines and allowances grids.
func readDocForm(form url.Values) *docForm {
	f := &docForm{Kind: invoice.Kind(form.Get("kind")), V: map[string]string{}}
	v, _ := strconv.ParseInt(form.Get("version"), 10, 64)
	f.Version = v
	for _, k := range docHeaderFields {
		f.V[k] = strings.TrimSpace(form.Get(k))
	}
	at := func(name string, i int) string {
		if xs := form[name]; i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	for i := range max(len(form["line_product"]), len(form["line_description"]), len(form["line_quantity"]), len(form["line_price"])) {
		f.Lines = append(f.Lines, docFormLine{Product: at("line_product", i), Description: at("line_description", i), Quantity: at("line_quantity", i),
			Unit: at("line_unit", i), Price: at("line_price", i), Discount: at("line_discount", i), Tax: at("line_tax", i), Acc: at("line_account", i),
			Dims: at("line_dims", i)})
	}
	for i := range max(len(form["allow_amount"]), len(form["allow_reason"])) {
		f.Allowances = append(f.Allowances, docFormAllowance{Type: at("allow_type", i), Amount: at("allow_amount", i), Reason: at("allow_reason", i),
			Tax: at("allow_tax", i), Acc: at("allow_account", i)})
	}
	for i := range len(form["installment_due"]) {
		d, _ := backoffice.ParseDate(at("installment_due", i))
		n, _ := strconv.ParseInt(at("installment_amount", i), 10, 64)
		f.Installments = append(f.Installments, invoice.InstallmentInput{DueDate: d, Amount: n})
	}
	return f
}

// docFormOf fills the form with a stored draft; accounts and products show by code.
func docFormOf(d invoice.Document, accounts []ledger.Account, products []invoice.Product) *docForm {
	in := d.Input()
	f := &docForm{ID: d.ID, Version: d.Version, Kind: d.Kind, Installments: in.Installments, V: map[string]string{
		"party_id": d.PartyID.String(), "issue_date": d.IssueDate.String(), "due_date": d.DueDate.String(), "currency": string(d.Currency),
		"rate": d.Rate, "payment_terms": d.PaymentTerms, "notes": d.Notes, "supplier_reference": d.SupplierReference, "duplicate_reason": d.DuplicateReason}}
	if d.EarlyDiscountPercent != 0 {
		f.V["early_discount_percent"], f.V["early_discount_days"] = d.EarlyDiscountPercent.String(), strconv.Itoa(d.EarlyDiscountDays)
	}
	if d.CreditsID != 0 {
		f.V["credits_id"] = d.CreditsID.String()
	}
	codes := map[backoffice.ID]string{}
	for _, a := range accounts {
		codes[a.ID] = a.Code
	}
	prods := map[backoffice.ID]string{}
	for _, p := range products {
		prods[p.ID] = p.Code
	}
	for _, l := range d.Lines {
		fl := docFormLine{Product: prods[l.ProductID], Description: l.Description, Quantity: l.Quantity.String(), Unit: l.Unit,
			Price: decimal(l.UnitPrice, d.Currency), Tax: strings.Join(l.TaxCodes, ","), Acc: codes[l.AccountID]}
		if l.DiscountPercent != 0 {
			fl.Discount = l.DiscountPercent.String()
		}
		if len(l.Dimensions) > 0 {
			b, _ := json.Marshal(l.Dimensions)
			fl.Dims = string(b)
		}
		f.Lines = append(f.Lines, fl)
	}
	for _, a := range d.Allowances {
		fa := docFormAllowance{Type: "allowance", Amount: decimal(a.Amount, d.Currency), Reason: a.Reason, Tax: a.TaxCode, Acc: codes[a.AccountID]}
		if a.Charge {
			fa.Type = "charge"
		}
		f.Allowances = append(f.Allowances, fa)
	}
	return f
}

// docInput turns the form text into the invoice package's input. Text that
// cannot be read (a date, a number, an unknown account code) comes back in
// bad, named like the service names its fields ("lines[1].quantity", counting
// only the rows that are not blank), so both kinds of message land alike.
func docInput(f *docForm, base backoffice.Currency, accounts map[string]backoffice.ID) (invoice.Input, map[string]string) {
	bad := map[string]string{}
	in := invoice.Input{Kind: f.Kind, Rate: f.V["rate"], PaymentTerms: f.V["payment_terms"], Notes: f.V["notes"],
		SupplierReference: f.V["supplier_reference"], DuplicateReason: f.V["duplicate_reason"], Installments: f.Installments,
		Currency: backoffice.Currency(strings.ToUpper(f.V["currency"]))}
	id := func(name string) backoffice.ID {
		t := f.V[name]
		n, err := backoffice.ParseID(t)
		if t != "" && err != nil {
			bad[name] = "must be chosen from the list"
		}
		return n
	}
	in.PartyID, in.CreditsID = id("party_id"), id("credits_id")
	date := func(name string) backoffice.Date {
		d, err := backoffice.ParseDate(f.V[name])
		if f.V[name] != "" && err != nil {
			bad[name] = "must be a date as YYYY-MM-DD"
		}
		return d
	}
	in.IssueDate, in.DueDate = date("issue_date"), date("due_date")
	if t := f.V["early_discount_percent"]; t != "" {
		p, err := invoice.ParsePercent(commaDot(t))
		if err != nil {
			bad["early_discount_percent"] = "must be a percentage like 2 or 2.5"
		}
		in.EarlyDiscountPercent = p
	}
	if t := f.V["early_discount_days"]; t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			bad["early_discount_days"] = "must be a whole number of days"
		}
		in.EarlyDiscountDays = n
	}
	cur := in.Currency
	if cur == "" {
		cur = base
	}
	account := func(code, field string) backoffice.ID {
		if code == "" {
			return 0
		}
		id, ok := accounts[code]
		if !ok {
			bad[field] = "no usable ledger account has the code " + code
		}
		return id
	}
	for _, l := range f.Lines {
		if l.blank() {
			continue
		}
		p := fmt.Sprintf("lines[%d].", len(in.Lines))
		li := invoice.LineInput{ProductCode: l.Product, Description: l.Description, Unit: l.Unit, AccountID: account(l.Acc, p+"account_id")}
		if l.Quantity != "" {
			q, err := invoice.ParseQuantity(commaDot(l.Quantity))
			if err != nil {
				bad[p+"quantity"] = "must be a number like 2 or 1.5"
			}
			li.Quantity = q
		}
		if l.Price != "" {
			n, err := parseAmount(l.Price, cur, p+"unit_price")
			if err != nil {
				bad[p+"unit_price"] = "must be an amount in " + string(cur) + " like " + decimal(12345, cur)
			}
			li.UnitPrice = &n
		}
		if l.Discount != "" {
			d, err := invoice.ParsePercent(commaDot(l.Discount))
			if err != nil {
				bad[p+"discount_percent"] = "must be a percentage like 10 or 2.5"
			}
			li.DiscountPercent = d
		}
		for c := range strings.SplitSeq(l.Tax, ",") {
			if c = strings.TrimSpace(c); c != "" {
				li.TaxCodes = append(li.TaxCodes, c)
			}
		}
		if l.Dims != "" {
			_ = json.Unmarshal([]byte(l.Dims), &li.Dimensions)
		}
		in.Lines = append(in.Lines, li)
	}
	for _, a := range f.Allowances {
		if a.blank() {
			continue
		}
		p := fmt.Sprintf("allowances[%d].", len(in.Allowances))
		ai := invoice.AllowanceInput{Charge: a.Type == "charge", Reason: a.Reason, TaxCode: a.Tax, AccountID: account(a.Acc, p+"account_id")}
		n, err := parseAmount(a.Amount, cur, p+"amount")
		if err != nil {
			bad[p+"amount"] = "must be an amount in " + string(cur) + " like " + decimal(12345, cur)
		}
		ai.Amount = n
		in.Allowances = append(in.Allowances, ai)
	}
	return in, bad
}

// commaDot reads a decimal comma as a point when there is no point.
func commaDot(s string) string {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		return strings.Replace(s, ",", ".", 1)
	}
	return s
}

// docLineField maps the invoice package's line field names to the grid's columns.
var docLineField = map[string]string{"product_id": "product", "product_code": "product", "description": "description", "quantity": "quantity",
	"unit": "unit", "unit_price": "price", "discount_percent": "discount", "tax_codes": "tax", "account_id": "account"}

// docAllowanceField maps allowance field names to the grid's columns.
var docAllowanceField = map[string]string{"charge": "type", "amount": "amount", "reason": "reason", "tax_code": "tax", "account_id": "account"}

// spreadErrors moves "lines[i].field" and "allowances[i].field" messages to
// the rows they belong to; i counts only the rows that are not blank.
func (f *docForm) spreadErrors() {
	var lineRows, allowRows []int
	for i, l := range f.Lines {
		if !l.blank() {
			lineRows = append(lineRows, i)
		}
	}
	for i, a := range f.Allowances {
		if !a.blank() {
			allowRows = append(allowRows, i)
		}
	}
	for key, msg := range f.Errors.Fields {
		if row, col, text, ok := rowError(key, msg, "lines", lineRows, docLineField); ok {
			f.Lines[row].Errors = addError(f.Lines[row].Errors, col, text)
		} else if row, col, text, ok := rowError(key, msg, "allowances", allowRows, docAllowanceField); ok {
			f.Allowances[row].Errors = addError(f.Allowances[row].Errors, col, text)
		}
	}
}

// rowError places the message of key "grid[i].field" on its form row and
// column; a field without a column of its own goes to "line", named.
func rowError(key, msg, grid string, rows []int, names map[string]string) (row int, col, text string, ok bool) {
	var i int
	if n, _ := fmt.Sscanf(key, grid+"[%d]", &i); n != 1 || i < 0 || i >= len(rows) {
		return 0, "", "", false
	}
	_, rest, _ := strings.Cut(key, "].")
	col, ok = names[rest]
	if !ok {
		col = "line"
		if rest != "" {
			msg = strings.ReplaceAll(rest, "_", " ") + " " + msg
		}
	}
	return rows[i], col, msg, true
}

func addError(m map[string]string, col, msg string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[col] = msg
	return m
}

// docAccounts are the usable ledger accounts by code, for reading the form.
func docAccounts(accounts []ledger.Account) map[string]backoffice.ID {
	out := make(map[string]backoffice.ID, len(accounts))
	for _, a := range accounts {
		out[a.Code] = a.ID
	}
	return out
}

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
	if f.Errors != nil {
		f.spreadErrors()
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

// docPreview computes the totals of what the form holds, or says what is
// missing before they can be computed.
func (s *Server) docPreview(r *http.Request, company backoffice.ID, f *docForm) docTotals {
	in, bad := docInput(f, baseCurrency(r), docAccounts(f.Accounts))
	if len(in.Lines) == 0 {
		return docTotals{Problems: []string{"Add a line to see the totals."}}
	}
	if len(bad) > 0 {
		return docTotals{Problems: fieldMessages(bad)}
	}
	d, err := s.Invoice.Preview(r.Context(), company, in)
	if err != nil {
		msgs := []string{backoffice.ErrorMessage(err)}
		if e, ok := err.(*backoffice.Error); ok && len(e.Fields) > 0 {
			msgs = fieldMessages(e.Fields)
		}
		return docTotals{Problems: msgs}
	}
	return totalsOf(d)
}

// fieldMessages lists field messages for people: "line 2 quantity: must be…".
func fieldMessages(fields map[string]string) []string {
	out := make([]string, 0, len(fields))
	for k, m := range fields {
		var i int
		var rest string
		if n, _ := fmt.Sscanf(k, "lines[%d]", &i); n == 1 {
			_, rest, _ = strings.Cut(k, "].")
			k = fmt.Sprintf("line %d %s", i+1, rest)
		} else if n, _ := fmt.Sscanf(k, "allowances[%d]", &i); n == 1 {
			_, rest, _ = strings.Cut(k, "].")
			k = fmt.Sprintf("allowance %d %s", i+1, rest)
		}
		out = append(out, strings.ReplaceAll(k, "_", " ")+": "+m)
	}
	slices.Sort(out)
	return out
}

func (s *Server) invoiceNew(w http.ResponseWriter, r *http.Request) error {
	return s.documentNew(w, r, salesSide)
}

func (s *Server) billNew(w http.ResponseWriter, r *http.Request) error {
	return s.documentNew(w, r, purchaseSide)
}

// documentNew shows an empty form of the side's first kind (?kind= picks
// the other, ?party= preselects the party).
func (s *Server) documentNew(w http.ResponseWriter, r *http.Request, side docSide) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
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

// documentPreview answers the totals partial of the form for htmx: the
// document's totals and tax breakdown as they would be stored, or what is
// missing. It stores nothing.
func (s *Server) documentPreview(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := readDocForm(r.PostForm)
	if !f.Kind.Valid() {
		f.Kind = invoice.KindInvoice
	}
	if s.Ledger != nil {
		if f.Accounts, err = s.postableAccounts(r, company); err != nil {
			return err
		}
	}
	t, ok := s.templates["invoice_form"]
	if !ok {
		return fmt.Errorf("no template invoice_form")
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "invoice-totals", s.docPreview(r, company, f)); err != nil {
		return fmt.Errorf("render invoice totals: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(buf.String()))
	return err
}
