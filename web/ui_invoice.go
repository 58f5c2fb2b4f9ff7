package web

import (
	"net/http"
	"slices"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
)

// docSide is one of the two halves of invoicing a list page shows: what we
// sell (invoices and credit notes, /invoices) or buy (bills and refunds, /bills).
type docSide struct {
	Path, Title, Noun string
	Kinds             []invoice.Kind
	PartyKind         party.Kind // who the documents go to or come from
}

var (
	salesSide    = docSide{Path: "/invoices", Title: "Invoices & credit notes", Noun: "invoice", Kinds: []invoice.Kind{invoice.KindInvoice, invoice.KindCreditNote}, PartyKind: party.KindCustomer}
	purchaseSide = docSide{Path: "/bills", Title: "Bills & refunds", Noun: "bill", Kinds: []invoice.Kind{invoice.KindBill, invoice.KindRefund}, PartyKind: party.KindSupplier}
)

// sideOf is the half of invoicing a kind belongs to.
func sideOf(k invoice.Kind) docSide {
	if k.Sales() {
		return salesSide
	}
	return purchaseSide
}

// docKindLabel names a kind for people: "Credit note".
func docKindLabel(k invoice.Kind) string {
	switch k {
	case invoice.KindInvoice:
		return "Invoice"
	case invoice.KindCreditNote:
		return "Credit note"
	case invoice.KindBill:
		return "Bill"
	case invoice.KindRefund:
		return "Refund"
	}
	return string(k)
}

// docTitle names a document: its number once posted, "Draft invoice 12" before.
func docTitle(d invoice.Document) string {
	if d.Number != "" {
		return d.Number
	}
	return "Draft " + lowerFirst(docKindLabel(d.Kind)) + " " + d.ID.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// docStateBadge is the badge tone of a document state.
func docStateBadge(st invoice.State) string {
	switch st {
	case invoice.StatePosted:
		return "ok"
	case invoice.StateDraft:
		return "warn"
	}
	return "muted"
}

// docListView is the invoices (or bills) page: the shared list, the party
// and date range filter below it, and the page's totals per currency.
type docListView struct {
	List     listView
	Side     docSide
	From, To string
	PartyID  string
	Parties  []party.Party
	Keep     []hiddenField // the other filters, kept when the range or party changes
	ClearURL string
	Totals   []string // "1234.00 EUR" per currency of the rows shown
}

func (s *Server) invoicesList(w http.ResponseWriter, r *http.Request) error {
	return s.documentsList(w, r, salesSide)
}

func (s *Server) billsList(w http.ResponseWriter, r *http.Request) error {
	return s.documentsList(w, r, purchaseSide)
}

// documentsList lists one side's documents with filters by kind, state,
// party and date range, search, sortable columns and CSV export.
func (s *Server) documentsList(w http.ResponseWriter, r *http.Request, side docSide) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f, ferr := documentFilter(r)
	q := r.URL.Query()
	bf := invoice.BrowseFilter{Filter: f, Kinds: side.Kinds, Sort: q.Get("sort")}
	if f.Kind != "" {
		bf.Kinds = nil
		if !slices.Contains(side.Kinds, f.Kind) {
			ferr = backoffice.Errorf(backoffice.EInvalid, "kind %s is not on this page", f.Kind)
		}
	}
	if q.Get("format") == "csv" && ferr == nil {
		return s.documentsCSV(w, r, company, bf, side)
	}
	var list backoffice.List[invoice.Document]
	if ferr == nil {
		list, ferr = s.Invoice.Browse(r.Context(), company, bf)
		if ferr != nil && backoffice.ErrorCode(ferr) != backoffice.EInvalid {
			return ferr
		}
	}
	v := listView{
		Title: side.Title, SearchHint: "Search number, party, reference or notes", ExportURL: withQuery(r, "format", "csv"),
		Help: "Drafts change freely; posted documents never change and are cancelled with a credit note. Totals are amounts payable with tax.",
		Empty: "No " + side.Noun + "s match. " + map[bool]string{true: "An invoice bills a customer; posting it books the receivable and the VAT.",
			false: "A bill records what a supplier charges; posting it books the payable and the input VAT."}[side.PartyKind == party.KindCustomer],
		Columns: sortColumns(r, []column{{Key: "number", Label: "Number", Sortable: true}, {Label: "Kind"}, {Key: "party", Label: "Party", Sortable: true},
			{Key: "issue_date", Label: "Issue date", Sortable: true}, {Key: "due_date", Label: "Due date", Sortable: true},
			{Key: "payable", Label: "Total", Numeric: true, Sortable: true}, {Label: "Open", Numeric: true}, {Label: "State"}}, "-issue_date"),
		Filters: docChips(r, side, s.today()),
	}
	if ferr != nil {
		v.Empty = backoffice.ErrorMessage(ferr) + ": " + joinFields(ferr)
	}
	if principal(r).Can("invoice.manage") {
		v.NewURL, v.NewLabel = side.Path+"/new", "New "+side.Noun
	}
	page := docListView{Side: side, From: q.Get("from"), To: q.Get("to"), PartyID: q.Get("party")}
	balances, err := s.Invoice.Balances(r.Context(), company, list.Items)
	if err != nil {
		return err
	}
	sums := map[backoffice.Currency]int64{}
	var currencies []backoffice.Currency
	for _, d := range list.Items {
		v.Rows = append(v.Rows, listRow{URL: "/invoices/" + d.ID.String(), Cells: docCells(d, balances)})
		if _, ok := sums[d.Currency]; !ok {
			currencies = append(currencies, d.Currency)
		}
		sums[d.Currency] += signedPayable(d)
	}
	for _, c := range currencies {
		page.Totals = append(page.Totals, backoffice.NewMoney(sums[c], c).String())
	}
	v.pageLinks(r, list.Next, len(list.Items))
	for _, k := range []string{"kind", "state", "party", "from", "to"} {
		if val := q.Get(k); val != "" {
			v.Hidden = append(v.Hidden, hiddenField{k, val})
		}
	}
	for _, k := range []string{"kind", "state", "q", "sort"} {
		if val := q.Get(k); val != "" {
			page.Keep = append(page.Keep, hiddenField{k, val})
		}
	}
	if page.From != "" || page.To != "" || page.PartyID != "" {
		cq := cloneQuery(q)
		for _, k := range []string{"from", "to", "party", "after", "flash"} {
			cq.Del(k)
		}
		page.ClearURL = r.URL.Path
		if len(cq) > 0 {
			page.ClearURL += "?" + cq.Encode()
		}
	}
	if s.Party != nil {
		if page.Parties, err = s.Party.List(r.Context(), company, party.Filter{Kind: side.PartyKind}); err != nil {
			return err
		}
	}
	page.List = v
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "invoice_list", side.Title, page)
}

// signedPayable is what a document adds to its side's total: credit notes
// and refunds take away.
func signedPayable(d invoice.Document) int64 {
	if d.Kind.Credit() {
		return -d.Totals.Payable
	}
	return d.Totals.Payable
}

// docChips filter by kind, state and common date ranges.
func docChips(r *http.Request, side docSide, today backoffice.Date) []chip {
	q := r.URL.Query()
	out := []chip{{Label: "Both kinds", URL: withQuery(r, "kind", ""), Active: q.Get("kind") == ""}}
	for _, k := range side.Kinds {
		out = append(out, chip{Label: docKindLabel(k) + "s", URL: withQuery(r, "kind", string(k)), Active: q.Get("kind") == string(k)})
	}
	out = append(out, chip{Label: "Any state", URL: withQuery(r, "state", ""), Active: q.Get("state") == ""})
	for _, st := range []invoice.State{invoice.StateDraft, invoice.StatePosted, invoice.StateCancelled} {
		out = append(out, chip{Label: humanAction(string(st)), URL: withQuery(r, "state", string(st)), Active: q.Get("state") == string(st)})
	}
	return append(out, rangeChips(r, today)...)
}

// docCells are a document's cells in the list; what is open and the
// payment status come from the ledger's open items.
func docCells(d invoice.Document, balances map[backoffice.ID]invoice.Balance) []cell {
	number := d.Number
	if number == "" {
		number = "Draft " + d.ID.String()
	}
	total := backoffice.NewMoney(d.Totals.Payable, d.Currency)
	if d.Kind.Credit() {
		total = total.Neg()
	}
	state := cell{Text: humanAction(string(d.State)), Badge: docStateBadge(d.State)}
	open := cell{Numeric: true}
	if b, ok := balances[d.ID]; ok && d.State == invoice.StatePosted {
		open.Text = backoffice.NewMoney(b.Open, d.Currency).String()
		switch b.Status {
		case invoice.FullyPaid:
			state.Text += ", paid"
		case invoice.PartlyPaid:
			state.Text, state.Badge = state.Text+", partly paid", "warn"
		}
	}
	return []cell{{Text: number}, {Text: docKindLabel(d.Kind)}, {Text: d.PartyName}, {Text: d.IssueDate.String()}, {Text: d.DueDate.String()},
		{Text: total.String(), Numeric: true}, open, state}
}

// documentsCSV exports every document the filters select, in the list's order.
func (s *Server) documentsCSV(w http.ResponseWriter, r *http.Request, company backoffice.ID, f invoice.BrowseFilter, side docSide) error {
	var rows [][]string
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Invoice.Browse(r.Context(), company, f)
		if err != nil {
			return err
		}
		balances, err := s.Invoice.Balances(r.Context(), company, list.Items)
		if err != nil {
			return err
		}
		for _, d := range list.Items {
			open := ""
			if b, ok := balances[d.ID]; ok {
				open = decimal(b.Open, d.Currency)
			}
			rows = append(rows, []string{d.ID.String(), d.Number, string(d.Kind), string(d.State), d.PartyName, d.IssueDate.String(), d.DueDate.String(),
				string(d.Currency), decimal(d.Totals.TaxExclusive, d.Currency), decimal(d.Totals.TaxTotal, d.Currency), decimal(d.Totals.Payable, d.Currency),
				open, d.SupplierReference})
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	name := map[bool]string{true: "invoices.csv", false: "bills.csv"}[side.PartyKind == party.KindCustomer]
	return writeCSV(w, name, []string{"id", "number", "kind", "state", "party", "issue_date", "due_date", "currency", "tax_exclusive", "tax_total",
		"payable", "open", "supplier_reference"}, rows)
}
