package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
)

// directionBadge is a payment's direction as a list cell.
func directionBadge(d invoice.Direction) cell {
	if d == invoice.Received {
		return cell{Text: "Received", Badge: "ok"}
	}
	return cell{Text: "Paid", Badge: "supplier"}
}

// paymentsList lists the company's payments; ?direction= and ?state=
// filter, ?q= searches, ?format=csv exports the page.
func (s *Server) paymentsList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, err := paymentFilter(r)
	if err != nil {
		f = invoice.PaymentFilter{Query: q.Get("q")}
	}
	if !f.Direction.Valid() {
		f.Direction = ""
	}
	if f.State != invoice.PaymentReversed {
		f.State = ""
	}
	list, err := s.Invoice.ListPayments(r.Context(), company, f)
	if err != nil {
		return err
	}
	v := listView{
		Title: "Payments", SearchHint: "Search number, reference, end-to-end id or party", ExportURL: withQuery(r, "format", "csv"),
		Help:  "Money received from customers and paid to suppliers, each allocated to the documents it settles. What a payment leaves unallocated is the party's credit.",
		Empty: "No payments match. A payment settles invoices or bills: register one when money arrives or leaves.",
		Columns: []column{{Label: "Number"}, {Label: "Date"}, {Label: "Direction"}, {Label: "Party"}, {Label: "Reference"},
			{Label: "Amount", Numeric: true}, {Label: "Unallocated", Numeric: true}, {Label: "State"}},
	}
	for _, c := range []struct{ label, dir string }{{"All", ""}, {"Received", "received"}, {"Paid", "paid"}} {
		v.Filters = append(v.Filters, chip{Label: c.label, URL: withQuery(r, "direction", c.dir), Active: string(f.Direction) == c.dir})
	}
	v.Filters = append(v.Filters, chip{Label: "Reversed only", URL: withQuery(r, "state", map[bool]string{false: "reversed", true: ""}[f.State != ""]), Active: f.State != ""})
	if principal(r).Can("payment.manage") {
		v.NewURL, v.NewLabel = "/payments/new", "Register payment"
	}
	var csvRows [][]string
	for _, p := range list.Items {
		exp := p.Currency.Exponent()
		state := cell{Text: "Posted", Badge: "ok"}
		if p.State == invoice.PaymentReversed {
			state = cell{Text: "Reversed", Badge: "muted"}
		}
		v.Rows = append(v.Rows, listRow{URL: "/payments/" + p.ID.String(), Cells: []cell{{Text: p.Number}, {Text: p.Date.String()}, directionBadge(p.Direction),
			{Text: p.PartyName}, {Text: cmpOrText(p.Reference, p.EndToEndID)}, {Text: backoffice.FormatMinor(p.Amount, exp) + " " + string(p.Currency), Numeric: true},
			{Text: backoffice.FormatMinor(p.Unallocated, exp), Numeric: true}, state}})
		csvRows = append(csvRows, []string{p.Number, p.Date.String(), string(p.Direction), p.PartyName, p.Reference, p.EndToEndID,
			backoffice.FormatMinor(p.Amount, exp), string(p.Currency), backoffice.FormatMinor(p.Unallocated, exp), string(p.State)})
	}
	if q.Get("format") == "csv" {
		return writeCSV(w, "payments.csv", []string{"number", "date", "direction", "party", "reference", "end_to_end_id", "amount", "currency", "unallocated", "state"}, csvRows)
	}
	v.pageLinks(r, list.Next, len(list.Items))
	v.Hidden = append(v.Hidden[:0], hiddenQuery(q, "direction", "state", "party", "run", "document")...)
	return s.render(w, r, http.StatusOK, "payment_list", "Payments", v)
}

// hiddenQuery keeps the named query values as hidden fields of a search form.
func hiddenQuery(q url.Values, keys ...string) []hiddenField {
	var out []hiddenField
	for _, k := range keys {
		if q.Get(k) != "" {
			out = append(out, hiddenField{k, q.Get(k)})
		}
	}
	return out
}

func cmpOrText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// paymentForm is the data of the "Register payment" page: the payment's
// fields as typed, and the party's open documents with an amount input each.
type paymentForm struct {
	Values           url.Values
	Errors           *formErrors
	Fields           map[string]payField
	Parties          []option
	Accounts         []option
	WriteOffAccounts []option
	Open             []openDocRow
	Credits          []openDocRow // credits earlier payments left, which a refund settles
	Currency         backoffice.Currency
	Tolerance        string
	Loaded           bool // a party was chosen and its open documents listed
}

// payField is one text input of a payment form with its value and error.
type payField struct {
	Name, Label, Type, Hint, Value, Error string
}

// payFields builds the text inputs of a form from what was typed.
func payFields(vals url.Values, fe *formErrors, defs ...[4]string) map[string]payField {
	out := map[string]payField{}
	for _, d := range defs {
		f := payField{Name: d[0], Label: d[1], Type: d[2], Hint: d[3], Value: vals.Get(d[0])}
		if fe != nil {
			f.Error = fe.Fields[strings.Replace(d[0], "write_off_", "write_off.", 1)]
		}
		out[d[0]] = f
	}
	return out
}

type option struct {
	Value, Label string
	Selected     bool
}

type openDocRow struct {
	ID                    backoffice.ID
	Number, Kind, Due     string
	Total, Open, Discount string
	Amount                string // what to allocate, as typed or suggested
	Error                 string
	Settles               bool // the payment's direction settles this kind
}

// paymentNew shows the form; with ?party= (and ?direction=, ?amount=) it
// lists that party's open documents with the amount spread oldest first.
func (s *Server) paymentNew(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	if vals.Get("date") == "" {
		vals.Set("date", s.today().String())
	}
	if vals.Get("direction") == "" {
		vals.Set("direction", string(invoice.Received))
	}
	return s.paymentFormPage(w, r, http.StatusOK, vals, nil)
}

// paymentFormPage renders the form with vals (and errors after a failed save).
func (s *Server) paymentFormPage(w http.ResponseWriter, r *http.Request, status int, vals url.Values, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := paymentForm{Values: vals, Errors: fe, Currency: baseCurrency(r), Fields: payFields(vals, fe,
		[4]string{"date", "Date", "date", ""}, [4]string{"amount", "Amount", "text", "a decimal, e.g. 119.00"},
		[4]string{"reference", "Reference", "text", "the bank's reference"}, [4]string{"currency", "Currency", "text", "empty: the company's"},
		[4]string{"rate", "Rate", "text", "company currency per unit"}, [4]string{"write_off_reason", "Reason", "text", "e.g. bank charges deducted"})}
	parties, err := s.Party.List(ctx, company, party.Filter{})
	if err != nil {
		return err
	}
	f.Parties = append(f.Parties, option{Value: "", Label: "Choose a customer or supplier"})
	for _, p := range parties {
		f.Parties = append(f.Parties, option{Value: p.ID.String(), Label: p.Name() + " (" + string(p.Kind) + ")", Selected: vals.Get("party_id") == p.ID.String()})
	}
	if f.Accounts, err = s.cashAccounts(r, company, vals.Get("account_id")); err != nil {
		return err
	}
	if f.WriteOffAccounts, err = s.writeOffAccounts(r, company, vals.Get("write_off_account_id")); err != nil {
		return err
	}
	st, err := s.Invoice.PaymentSettings(ctx, company)
	if err != nil {
		return err
	}
	f.Tolerance = backoffice.FormatMinor(st.WriteOffTolerance, f.Currency.Exponent()) + " " + string(f.Currency)
	partyID, _ := backoffice.ParseID(vals.Get("party_id"))
	if partyID == 0 {
		return s.render(w, r, status, "payment_form", "Register payment", f)
	}
	p, err := s.Party.Get(ctx, company, partyID)
	if err != nil {
		return err
	}
	dir := invoice.Direction(vals.Get("direction"))
	sales := p.Kind == party.KindCustomer || (p.Kind == party.KindBoth && dir == invoice.Received)
	open, err := s.Invoice.OpenDocuments(ctx, company, partyID, sales)
	if err != nil {
		return err
	}
	cur := backoffice.Currency(strings.ToUpper(cmpOrText(vals.Get("currency"), string(f.Currency))))
	amount, _ := backoffice.ParseMinor(vals.Get("amount"), cur.Exponent())
	suggested := map[backoffice.ID]int64{}
	for _, a := range invoice.SuggestAllocations(open, dir, amount) {
		suggested[a.DocumentID] = a.Amount
	}
	f.Loaded = true
	filled, rest := 0, amount
	for _, o := range open {
		exp := o.Currency.Exponent()
		row := openDocRow{ID: o.ID, Number: o.Number, Kind: humanAction(string(o.Kind)), Due: o.DueDate.String(), Settles: dir.Settles(o.Kind),
			Total: backoffice.FormatMinor(o.Totals.Payable, exp) + " " + string(o.Currency), Open: backoffice.FormatMinor(o.Balance.Open, exp)}
		if d, ok := invoice.EarlyDiscount(o.Document, dateOr(vals.Get("date"), s.today())); ok && o.Balance.Open == o.Totals.Payable {
			row.Discount = backoffice.FormatMinor(d, exp)
		}
		if typed, ok := vals["alloc_"+o.ID.String()]; ok {
			row.Amount = typed[0]
		} else if a := suggested[o.ID]; a > 0 {
			row.Amount = backoffice.FormatMinor(a, exp)
		}
		if fe != nil && strings.TrimSpace(row.Amount) != "" {
			row.Error = fe.Fields["allocations["+strconv.Itoa(filled)+"].amount"]
		}
		f.Open = append(f.Open, row)
		if row.Amount != "" {
			filled++
		}
		rest -= suggested[o.ID]
	}
	if err := s.creditRows(r, company, partyID, dir, vals, fe, filled, rest, &f); err != nil {
		return err
	}
	return s.render(w, r, status, "payment_form", "Register payment", f)
}

// creditRows lists the credits earlier payments of the party left, with
// the rest of the amount spread over those this payment settles (a refund
// pays out what a payment received left), oldest first.
func (s *Server) creditRows(r *http.Request, company, partyID backoffice.ID, dir invoice.Direction, vals url.Values, fe *formErrors, filled int, rest int64, f *paymentForm) error {
	list, err := s.Invoice.ListPayments(r.Context(), company, invoice.PaymentFilter{PartyID: partyID, State: invoice.PaymentPosted, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
	if err != nil {
		return err
	}
	var withCredit []invoice.Payment
	var entries []backoffice.ID
	for _, p := range list.Items {
		if p.UnallocatedLine != 0 {
			withCredit = append(withCredit, p)
			entries = append(entries, p.EntryID)
		}
	}
	items, err := s.Ledger.OpenItemsOfEntries(r.Context(), s.DB, company, entries)
	if err != nil {
		return err
	}
	for i := len(withCredit) - 1; i >= 0; i-- { // oldest first
		p := withCredit[i]
		open := items[ledger.LineRef{EntryID: p.EntryID, LineNo: p.UnallocatedLine}].Residual
		open = max(open, -open)
		if open == 0 {
			continue
		}
		exp := p.Currency.Exponent()
		row := openDocRow{ID: p.ID, Number: p.Number, Kind: "Credit left by payment", Due: p.Date.String(), Settles: p.Direction != dir,
			Total: backoffice.FormatMinor(p.Amount, exp) + " " + string(p.Currency), Open: backoffice.FormatMinor(open, exp)}
		if typed, ok := vals["credit_"+p.ID.String()]; ok {
			row.Amount = typed[0]
		} else if row.Settles && rest > 0 {
			a := min(rest, open)
			row.Amount, rest = backoffice.FormatMinor(a, exp), rest-a
		}
		if fe != nil && strings.TrimSpace(row.Amount) != "" {
			row.Error = fe.Fields["allocations["+strconv.Itoa(filled)+"].amount"]
		}
		if strings.TrimSpace(row.Amount) != "" {
			filled++
		}
		f.Credits = append(f.Credits, row)
	}
	return nil
}

func dateOr(s string, def backoffice.Date) backoffice.Date {
	if d, err := backoffice.ParseDate(s); err == nil {
		return d
	}
	return def
}

// cashAccounts are the company's bank and cash accounts as options.
func (s *Server) cashAccounts(r *http.Request, company backoffice.ID, selected string) ([]option, error) {
	blocked := false
	accs, err := s.Ledger.ListAccounts(r.Context(), company, ledger.AccountFilter{Type: ledger.Asset, Blocked: &blocked, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, a := range accs.Items {
		if a.Subtype == "bank" || a.Subtype == "cash" {
			out = append(out, option{Value: a.ID.String(), Label: a.Code + " " + a.Name, Selected: selected == a.ID.String() || (selected == "" && a.Code == "1110")})
		}
	}
	return out, nil
}

// paymentCreate posts the form's payment; a failure shows the form again
// with what was typed and every bad field marked.
func (s *Server) paymentCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	in, bad := paymentInputOf(vals, baseCurrency(r))
	var p invoice.Payment
	if len(bad) == 0 {
		p, err = s.Invoice.CreatePayment(r.Context(), company, in)
	}
	if err != nil || len(bad) > 0 {
		fe := &formErrors{Message: "Please correct the marked fields.", Fields: bad}
		if err != nil {
			if fe, err = paymentFailure(err); err != nil {
				return err
			}
		}
		return s.paymentFormPage(w, r, http.StatusUnprocessableEntity, vals, fe)
	}
	return redirectFlash(w, r, "/payments/"+p.ID.String(), "Payment "+p.Number+" posted.")
}

// paymentFailure is formFailure that also keeps a closed period on the form.
func paymentFailure(err error) (*formErrors, error) {
	if backoffice.ErrorCode(err) == backoffice.EPeriodClosed {
		return &formErrors{Message: backoffice.ErrorMessage(err), Fields: map[string]string{"date": "falls in a closed period"}}, nil
	}
	return formFailure(err)
}

// paymentInputOf reads the form: amounts are decimals; doc lists the open
// documents in the order of the form's rows, alloc_<id> is the amount
// allocated to document id and discount_<id> its discount, taken when
// take_discount_<id> is ticked.
func paymentInputOf(vals url.Values, base backoffice.Currency) (invoice.PaymentInput, map[string]string) {
	bad := map[string]string{}
	in := invoice.PaymentInput{Direction: invoice.Direction(vals.Get("direction")), Reference: vals.Get("reference"),
		Currency: backoffice.Currency(strings.ToUpper(strings.TrimSpace(vals.Get("currency")))), Rate: vals.Get("rate")}
	cur := in.Currency
	if cur == "" {
		cur = base
	}
	id := func(name string) backoffice.ID {
		v, _ := backoffice.ParseID(vals.Get(name))
		return v
	}
	in.PartyID, in.AccountID = id("party_id"), id("account_id")
	var err error
	if in.Date, err = backoffice.ParseDate(vals.Get("date")); err != nil {
		bad["date"] = "must be a date, YYYY-MM-DD"
	}
	if in.Amount, err = backoffice.ParseMinor(vals.Get("amount"), cur.Exponent()); err != nil {
		bad["amount"] = "must be an amount like 119.00"
	}
	for _, doc := range vals["doc"] {
		raw := strings.TrimSpace(vals.Get("alloc_" + doc))
		if raw == "" {
			continue
		}
		docID, _ := backoffice.ParseID(doc)
		a := invoice.AllocationInput{DocumentID: docID}
		f := "allocations[" + strconv.Itoa(len(in.Allocations)) + "].amount"
		if a.Amount, err = backoffice.ParseMinor(raw, cur.Exponent()); err != nil {
			bad[f] = "must be an amount like 119.00"
		}
		if d := strings.TrimSpace(vals.Get("discount_" + docID.String())); d != "" && vals.Get("take_discount_"+docID.String()) != "" {
			if a.Discount, err = backoffice.ParseMinor(d, cur.Exponent()); err != nil {
				bad[f] = "has a discount that is not an amount"
			}
		}
		in.Allocations = append(in.Allocations, a)
	}
	for _, credit := range vals["credit"] {
		raw := strings.TrimSpace(vals.Get("credit_" + credit))
		if raw == "" {
			continue
		}
		paymentID, _ := backoffice.ParseID(credit)
		a := invoice.AllocationInput{PaymentID: paymentID}
		if a.Amount, err = backoffice.ParseMinor(raw, cur.Exponent()); err != nil {
			bad["allocations["+strconv.Itoa(len(in.Allocations))+"].amount"] = "must be an amount like 119.00"
		}
		in.Allocations = append(in.Allocations, a)
	}
	if vals.Get("write_off") != "" {
		in.WriteOff = &invoice.WriteOffInput{AccountID: id("write_off_account_id"), Reason: vals.Get("write_off_reason")}
	}
	return in, bad
}

// writeOffAccounts are the income and expense accounts a difference can be
// written off to, bank charges (7010) first chosen.
func (s *Server) writeOffAccounts(r *http.Request, company backoffice.ID, selected string) ([]option, error) {
	blocked := false
	var out []option
	for _, t := range []ledger.AccountType{ledger.Expense, ledger.Income} {
		accs, err := s.Ledger.ListAccounts(r.Context(), company, ledger.AccountFilter{Type: t, Blocked: &blocked, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
		if err != nil {
			return nil, err
		}
		for _, a := range accs.Items {
			out = append(out, option{Value: a.ID.String(), Label: a.Code + " " + a.Name, Selected: selected == a.ID.String() || (selected == "" && a.Code == "7010")})
		}
	}
	return out, nil
}
