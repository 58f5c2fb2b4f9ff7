package web

import (
	"encoding/json"
	"fmt"
	"net/url"
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
	Credits      *invoice.Document // the invoice (bill) a credit note (refund) credits
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
