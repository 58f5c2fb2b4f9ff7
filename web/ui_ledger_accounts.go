package web

import (
	"context"
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// ledgerAccountsList is the chart of accounts: the tree by indentation,
// each account's balance today read for the whole page in one call.
func (s *Server) ledgerAccountsList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := ledger.AccountFilter{Query: q.Get("q"), Type: ledger.AccountType(q.Get("type"))}
	switch q.Get("status") {
	case "active":
		f.Blocked = new(bool)
	case "blocked":
		t := true
		f.Blocked = &t
	}
	balances, err := s.balancesToday(r.Context(), company)
	if err != nil {
		return err
	}
	if q.Get("format") == "csv" {
		return s.accountsCSV(w, r, company, f, balances)
	}
	if f.Page, err = pageOf(r); err != nil {
		return err
	}
	list, err := s.Ledger.ListAccounts(r.Context(), company, f)
	if err != nil {
		return err
	}
	tree, err := s.accountTree(r.Context(), company, list.Items)
	if err != nil {
		return err
	}
	v := listView{
		Title: "Chart of accounts", SearchHint: "Search code or name", ExportURL: withQuery(r, "format", "csv"),
		Help:  "Accounts of " + principal(r).Company.Name + " by code, sub-accounts indented under their parent. Balances are debit − credit today in " + string(baseCurrency(r)) + ".",
		Empty: "No accounts match. The chart of accounts lists what the books track: assets, liabilities, equity, income and expenses.",
		// The balance comes right after the name so a phone shows it without scrolling.
		Columns: []column{{Label: "Code"}, {Label: "Name"}, {Label: "Balance today", Numeric: true}, {Label: "Type"}, {Label: "Subtype"},
			{Label: "Parent"}, {Label: "Status"}},
		Filters: typeChips(r),
	}
	if principal(r).Can("ledger.manage") {
		v.NewURL, v.NewLabel = "/ledger/accounts/new", "New account"
	}
	for _, a := range list.Items {
		v.Rows = append(v.Rows, listRow{URL: "/ledger/accounts/" + a.ID.String(), Cells: s.accountCells(r, a, tree, balances, true)})
	}
	v.pageLinks(r, list.Next, len(list.Items))
	if t := q.Get("type"); t != "" {
		v.Hidden = append(v.Hidden, hiddenField{"type", t})
	}
	return s.render(w, r, http.StatusOK, "ledger_accounts", "Chart of accounts", v)
}

// typeChips are the filters of the chart: account type, then blocked or not.
func typeChips(r *http.Request) []chip {
	cur := r.URL.Query().Get("type")
	out := []chip{{Label: "All types", URL: withQuery(r, "type", ""), Active: cur == ""}}
	for _, t := range ledger.AccountTypes() {
		out = append(out, chip{Label: humanAction(string(t)), URL: withQuery(r, "type", string(t)), Active: cur == string(t)})
	}
	blocked := r.URL.Query().Get("status") == "blocked"
	toggle := "blocked"
	if blocked {
		toggle = "" // a second click shows every account again
	}
	return append(out, chip{Label: "Blocked only", URL: withQuery(r, "status", toggle), Active: blocked})
}

// balancesToday sums each account's company-currency balance at the end of
// today from the trial balance: one read of the maintained summaries for
// the whole chart instead of one per row.
func (s *Server) balancesToday(ctx context.Context, company backoffice.ID) (map[backoffice.ID]int64, error) {
	rows, err := s.Ledger.TrialBalance(ctx, company, s.today())
	if err != nil {
		return nil, err
	}
	out := make(map[backoffice.ID]int64, len(rows))
	for _, t := range rows {
		out[t.AccountID] += t.CompanyBalance
	}
	return out, nil
}

// treeNode is what the list needs to indent an account under its parent.
type treeNode struct {
	code   string
	parent backoffice.ID
}

// accountTree knows the code and parent of every account on the page and of
// their ancestors; ancestors on earlier pages are read one by one (a chart is
// a few levels deep).
func (s *Server) accountTree(ctx context.Context, company backoffice.ID, page []ledger.Account) (map[backoffice.ID]treeNode, error) {
	tree := make(map[backoffice.ID]treeNode, len(page))
	for _, a := range page {
		tree[a.ID] = treeNode{a.Code, a.ParentID}
	}
	for _, a := range page {
		for p, depth := a.ParentID, 0; p != 0 && depth < 16; depth++ {
			n, ok := tree[p]
			if !ok {
				pa, err := s.Ledger.GetAccount(ctx, company, p)
				if err != nil {
					return nil, err
				}
				n = treeNode{pa.Code, pa.ParentID}
				tree[p] = n
			}
			p = n.parent
		}
	}
	return tree, nil
}

func depthOf(tree map[backoffice.ID]treeNode, parent backoffice.ID) int {
	d := 0
	for p := parent; p != 0 && d < 16; p = tree[p].parent {
		d++
	}
	return d
}

// accountCells are the list columns of an account; indent puts sub-accounts
// under their parent with no-break spaces, which survive HTML and CSV alike.
func (s *Server) accountCells(r *http.Request, a ledger.Account, tree map[backoffice.ID]treeNode, balances map[backoffice.ID]int64, indent bool) []cell {
	name := a.Name
	if indent {
		name = strings.Repeat("\u00a0\u00a0\u00a0", depthOf(tree, a.ParentID)) + a.Name
	}
	status := cell{} // only the exception is marked, so it stands out
	if a.Blocked {
		status = cell{Text: "Blocked", Badge: "warn"}
	}
	bal := ""
	if b, ok := balances[a.ID]; ok {
		bal = decimal(b, baseCurrency(r))
	}
	return []cell{{Text: a.Code}, {Text: name}, {Text: bal, Numeric: true}, {Text: string(a.Type)}, {Text: a.Subtype},
		{Text: tree[a.ParentID].code}, status}
}

// accountsCSV exports every account the filters select.
func (s *Server) accountsCSV(w http.ResponseWriter, r *http.Request, company backoffice.ID, f ledger.AccountFilter, balances map[backoffice.ID]int64) error {
	var rows [][]string
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Ledger.ListAccounts(r.Context(), company, f)
		if err != nil {
			return err
		}
		tree, err := s.accountTree(r.Context(), company, list.Items)
		if err != nil {
			return err
		}
		for _, a := range list.Items {
			c := s.accountCells(r, a, tree, balances, false)
			status := "active"
			if a.Blocked {
				status = "blocked"
			}
			rows = append(rows, []string{c[0].Text, c[1].Text, c[3].Text, c[4].Text, c[5].Text, string(a.Currency), c[2].Text, status})
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return writeCSV(w, "accounts.csv", []string{"code", "name", "type", "subtype", "parent", "currency", "balance_today", "status"}, rows)
}

// accountForm is the data of the account page and the new-account form.
type accountForm struct {
	New       bool
	Account   ledger.Account
	In        accountFormIn
	Types     []ledger.AccountType
	Subtypes  []string
	Errors    *formErrors
	CanEdit   bool
	Actions   []action
	History   []historyItem
	Statement *statementView
}

// formInput is one text field of the account form with its message.
type formInput struct {
	Order                           int // 0 and 1 come before the type selects
	Name, Label, Value, Hint, Error string
	ReadOnly                        bool
}

// Inputs are the account form's text fields, in the order they show.
func (f accountForm) Inputs() []formInput {
	in := []formInput{
		{Name: "code", Label: "Code", Value: f.In.Code},
		{Name: "name", Label: "Name", Value: f.In.Name},
		{Name: "parent", Label: "Parent account code", Value: f.In.Parent, Hint: "empty for a top-level account"},
		{Name: "currency", Label: "Currency", Value: f.In.Currency, Hint: "empty takes any currency"},
		{Name: "required_dimensions", Label: "Required dimensions", Value: f.In.Dimensions, Hint: "comma-separated, e.g. cost_center, project"},
		{Name: "min_balance", Label: "Minimum balance", Value: f.In.MinBalance, Hint: "debit − credit; empty for none"},
		{Name: "max_balance", Label: "Maximum balance", Value: f.In.MaxBalance, Hint: "debit − credit; empty for none"},
	}
	for i := range in {
		in[i].Order, in[i].ReadOnly = i, !f.CanEdit
		if f.Errors != nil {
			in[i].Error = f.Errors.Fields[in[i].Name]
		}
	}
	return in
}

// accountFormIn is what the form shows in its fields: what was stored, or
// what the user typed when a save failed.
type accountFormIn struct {
	Code, Name, Type, Subtype, Parent, Currency, Dimensions, MinBalance, MaxBalance string
	Reconcilable                                                                    bool
	Version                                                                         int64
}

func (s *Server) ledgerAccountNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.books(r); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ledger_account", "New account", accountForm{New: true, CanEdit: true,
		Types: ledger.AccountTypes(), Subtypes: ledger.Subtypes(), In: accountFormIn{Type: string(ledger.Asset), Subtype: "other"}})
}

// readAccountForm reads the account form's fields.
func readAccountForm(r *http.Request) accountFormIn {
	f := r.PostForm
	in := accountFormIn{Code: strings.TrimSpace(f.Get("code")), Name: strings.TrimSpace(f.Get("name")), Type: f.Get("type"),
		Subtype: f.Get("subtype"), Parent: strings.TrimSpace(f.Get("parent")), Currency: strings.ToUpper(strings.TrimSpace(f.Get("currency"))),
		Dimensions: f.Get("required_dimensions"), MinBalance: strings.TrimSpace(f.Get("min_balance")),
		MaxBalance: strings.TrimSpace(f.Get("max_balance")), Reconcilable: f.Get("reconcilable") != ""}
	v, _ := backoffice.ParseID(f.Get("version"))
	in.Version = int64(v)
	return in
}

func (in accountFormIn) dimensions() []string {
	out := []string{}
	for _, d := range strings.Split(in.Dimensions, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

func (s *Server) ledgerAccountCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	in := readAccountForm(r)
	a, err := s.Ledger.CreateAccount(r.Context(), company, ledger.NewAccount{Code: in.Code, Name: in.Name, Type: ledger.AccountType(in.Type),
		Subtype: in.Subtype, Parent: in.Parent, Currency: backoffice.Currency(in.Currency), Reconcilable: in.Reconcilable, RequiredDimensions: in.dimensions()})
	if err == nil && (in.MinBalance != "" || in.MaxBalance != "") {
		_, err = s.setLimits(r, company, a, &in.MinBalance, &in.MaxBalance)
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "ledger_account", "New account",
			accountForm{New: a.ID == 0, Account: a, In: in, Errors: fe, CanEdit: true, Types: ledger.AccountTypes(), Subtypes: ledger.Subtypes()})
	}
	return redirectFlash(w, r, "/ledger/accounts/"+a.ID.String(), "Account created.")
}

func (s *Server) ledgerAccountShow(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.account(r)
	if err != nil {
		return err
	}
	if wantsPDF(r) {
		return s.statementPDF(w, r, company, a)
	}
	in, err := s.accountFormOf(r, a)
	if err != nil {
		return err
	}
	return s.ledgerAccountPage(w, r, http.StatusOK, a, in, nil)
}

// accountFormOf fills the form from the stored account.
func (s *Server) accountFormOf(r *http.Request, a ledger.Account) (accountFormIn, error) {
	in := accountFormIn{Code: a.Code, Name: a.Name, Type: string(a.Type), Subtype: a.Subtype, Currency: string(a.Currency),
		Dimensions: strings.Join(a.RequiredDimensions, ", "), Reconcilable: a.Reconcilable, Version: a.Version}
	base := baseCurrency(r)
	if a.MinBalance != nil {
		in.MinBalance = decimal(*a.MinBalance, base)
	}
	if a.MaxBalance != nil {
		in.MaxBalance = decimal(*a.MaxBalance, base)
	}
	if a.ParentID != 0 {
		company, _ := requireCompany(r)
		p, err := s.Ledger.GetAccount(r.Context(), company, a.ParentID)
		if err != nil {
			return in, err
		}
		in.Parent = p.Code
	}
	return in, nil
}

// ledgerAccountPage renders an account: its fields, its statement and its history.
func (s *Server) ledgerAccountPage(w http.ResponseWriter, r *http.Request, status int, a ledger.Account, in accountFormIn, fe *formErrors) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	st, err := s.statementView(r, company, a)
	if err != nil {
		return err
	}
	recs, err := s.history(r, "account", a.ID.String())
	if err != nil {
		return err
	}
	p := principal(r)
	form := accountForm{Account: a, In: in, Errors: fe, CanEdit: p.Can("ledger.manage"), Types: ledger.AccountTypes(),
		Subtypes: ledger.Subtypes(), History: historyOf(recs), Statement: st}
	if form.CanEdit {
		base := "/ledger/accounts/" + a.ID.String()
		if a.Blocked {
			form.Actions = append(form.Actions, action{Label: "Unblock", URL: base + "/unblock"})
		} else {
			form.Actions = append(form.Actions, action{Label: "Block", URL: base + "/block", Danger: true,
				Confirm: "Block account " + a.Code + "? It takes no new postings until unblocked; its history and balance stay."})
		}
	}
	return s.render(w, r, status, "ledger_account", a.Code+" "+a.Name, form)
}

func (s *Server) ledgerAccountUpdate(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.account(r)
	if err != nil {
		return err
	}
	in := readAccountForm(r)
	version := in.Version
	if version == 0 {
		version = a.Version
	}
	typ, cur, dims := ledger.AccountType(in.Type), backoffice.Currency(in.Currency), in.dimensions()
	updated, err := s.Ledger.UpdateAccount(r.Context(), company, a.ID, version, ledger.AccountPatch{Code: &in.Code, Name: &in.Name,
		Type: &typ, Subtype: &in.Subtype, Parent: &in.Parent, Currency: &cur, Reconcilable: &in.Reconcilable, RequiredDimensions: &dims})
	if stored, _ := s.accountFormOf(r, a); err == nil && (in.MinBalance != stored.MinBalance || in.MaxBalance != stored.MaxBalance) {
		_, err = s.setLimits(r, company, updated, &in.MinBalance, &in.MaxBalance)
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.ledgerAccountPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), a, in, fe)
	}
	return redirectFlash(w, r, "/ledger/accounts/"+a.ID.String(), "Saved.")
}

// ledgerAccountBlock blocks or unblocks an account from its page.
func (s *Server) ledgerAccountBlock(blocked bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, a, err := s.account(r)
		if err != nil {
			return err
		}
		if _, err := s.Ledger.BlockAccount(r.Context(), company, a.ID, blocked); err != nil {
			return err
		}
		msg := "Account unblocked."
		if blocked {
			msg = "Account blocked: it takes no new postings."
		}
		return redirectFlash(w, r, "/ledger/accounts/"+a.ID.String(), msg)
	}
}
