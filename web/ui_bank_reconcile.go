package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/bank"
	"backoffice/bank/reconcile"
	"backoffice/ledger"
)

// bankReconcileView is the reconciliation screen of a statement: its
// unreconciled lines on the left, the selected line's candidates on the right.
type bankReconcileView struct {
	Statement bank.Statement
	Account   bank.Account
	Lines     []reconcileLineRow
	Selected  *reconcileLineRow
	PrevURL   string
	NextURL   string
	Auto      int // lines with an automatic candidate
	Query     string
	Found     []reconcileItemRow
	Accounts  []option
	Errors    *formErrors
	CanManage bool
}

// reconcileLineRow is an unreconciled line in the list, with its candidates
// when it is the selected one.
type reconcileLineRow struct {
	ID         backoffice.ID
	URL        string
	Date       string
	Name       string
	IBAN       string
	Remittance string
	Amount     string
	Debit      bool
	Best       int  // the best candidate's confidence, 0 when none
	Auto       bool // the best candidate is automatic
	Hold       string
	Candidates []reconcileCandidateRow
	Posted     []reconcilePostedRow
}

type reconcileCandidateRow struct {
	Confidence int
	Level      string // ok, warn, bad: the badge of the confidence
	Reasons    string
	Difference string // "" when none
	Partial    bool
	Auto       bool
	Items      []reconcileItemRow
}

type reconcileItemRow struct {
	Value    string // entry:line:amount, the form value
	Document string
	Party    string
	Kind     string
	Due      string
	Open     string
	Amount   string
}

type reconcilePostedRow struct {
	Value     string // entry:line
	Number    string
	Date      string
	Reference string
	Narration string
}

// bankReconcileShow shows the reconciliation screen; ?line= selects a line
// (the first by default), ?q= searches the open items for it.
func (s *Server) bankReconcileShow(w http.ResponseWriter, r *http.Request) error {
	return s.bankReconcilePage(w, r, http.StatusOK, nil)
}

func (s *Server) bankReconcilePage(w http.ResponseWriter, r *http.Request, status int, fe *formErrors) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	a, err := s.Bank.Get(r.Context(), company, st.BankAccountID)
	if err != nil {
		return err
	}
	sug, err := s.Bank.Suggest(r.Context(), company, bank.SuggestFilter{StatementID: st.ID})
	if err != nil {
		return err
	}
	v := bankReconcileView{Statement: st, Account: a, Query: r.FormValue("q"), Errors: fe, CanManage: principal(r).Can("bank.manage")}
	selected := r.FormValue("line")
	base := fmt.Sprintf("/bank/statements/%d/reconcile", st.ID)
	for i, sg := range sug {
		row := reconcileLineRowOf(sg, base)
		if sg.Auto() != nil {
			v.Auto++
		}
		v.Lines = append(v.Lines, row)
		if selected == "" && i == 0 || selected == sg.Line.ID.String() {
			selected = sg.Line.ID.String()
			full := reconcileLineRowOf(sg, base)
			full.Candidates, full.Posted = candidateRows(sg), postedRows(sg)
			v.Selected = &full
			if i > 0 {
				v.PrevURL = base + "?line=" + sug[i-1].Line.ID.String()
			}
			if i+1 < len(sug) {
				v.NextURL = base + "?line=" + sug[i+1].Line.ID.String()
			}
		}
	}
	if v.Selected != nil && v.Query != "" {
		found, err := s.Bank.SearchOpenItems(r.Context(), company, v.Query, st.Currency, 20)
		if err != nil {
			return err
		}
		for _, m := range found {
			row := itemRow(m.Item, m.OpenItemInfo, m.Residual, m.Residual)
			row.Value = fmt.Sprintf("%d:%d", m.Item.EntryID, m.Item.LineNo) // settled for what the line holds
			v.Found = append(v.Found, row)
		}
	}
	if v.Selected != nil && v.CanManage {
		accts, err := s.Ledger.ListAccounts(r.Context(), company, ledger.AccountFilter{Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
		if err != nil {
			return err
		}
		for _, ac := range accts.Items {
			if !ac.Blocked && ac.ID != a.LedgerAccountID {
				v.Accounts = append(v.Accounts, option{Value: ac.ID.String(), Label: ac.Code + " " + ac.Name, Selected: r.FormValue("counter_account") == ac.ID.String()})
			}
		}
	}
	return s.render(w, r, status, "bank_reconcile", "Reconcile statement "+st.StatementID, v)
}

func reconcileLineRowOf(sg bank.Suggestion, base string) reconcileLineRow {
	l := sg.Line
	row := reconcileLineRow{ID: l.ID, URL: base + "?line=" + l.ID.String(), Date: l.BookingDate.String(), Name: l.CounterpartyName,
		IBAN: formatIBAN(l.CounterpartyIBAN), Remittance: l.Remittance, Amount: decimal(l.Amount, l.Currency), Debit: l.Amount < 0, Hold: sg.Hold}
	if len(sg.Candidates) > 0 {
		row.Best, row.Auto = sg.Candidates[0].Confidence, sg.Candidates[0].Auto
	}
	return row
}

func candidateRows(sg bank.Suggestion) []reconcileCandidateRow {
	c := sg.Line.Currency
	var out []reconcileCandidateRow
	for _, cd := range sg.Candidates {
		row := reconcileCandidateRow{Confidence: cd.Confidence, Reasons: strings.Join(cd.Reasons, "; "), Partial: cd.Partial, Auto: cd.Auto, Level: "bad"}
		switch {
		case cd.Confidence >= 90:
			row.Level = "ok"
		case cd.Confidence >= 60:
			row.Level = "warn"
		}
		if cd.Difference != 0 {
			row.Difference = decimal(cd.Difference, c)
		}
		for _, it := range cd.Items {
			row.Items = append(row.Items, itemRow(it.Item, it.OpenItemInfo, it.Open, it.Amount))
		}
		out = append(out, row)
	}
	return out
}

func itemRow(ref ledger.LineRef, info bank.OpenItemInfo, open, amount int64) reconcileItemRow {
	row := reconcileItemRow{Value: fmt.Sprintf("%d:%d:%s", ref.EntryID, ref.LineNo, decimal(amount, info.Currency)), Document: info.DocumentNumber,
		Party: info.PartyName, Kind: info.Kind, Open: decimal(open, info.Currency), Amount: decimal(amount, info.Currency)}
	if !info.DueDate.IsZero() {
		row.Due = info.DueDate.String()
	}
	return row
}

func postedRows(sg bank.Suggestion) []reconcilePostedRow {
	var out []reconcilePostedRow
	for _, p := range sg.Posted {
		out = append(out, reconcilePostedRow{Value: fmt.Sprintf("%d:%d", p.Line.EntryID, p.Line.LineNo), Number: p.Number, Date: p.Date.String(),
			Reference: p.Reference, Narration: p.Narration})
	}
	return out
}

// bankReconcileLine reconciles the form's line: with the chosen items
// (item=entry:line:amount, repeated), a posted bank line (posted=entry:line)
// or a new entry on counter_account, then shows the next line.
func (s *Server) bankReconcileLine(w http.ResponseWriter, r *http.Request) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	lineID, err := strconv.ParseInt(r.PostForm.Get("line"), 10, 64)
	if err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "choose a statement line to reconcile")
	}
	l, err := s.Bank.StatementLine(r.Context(), company, backoffice.ID(lineID))
	if err != nil {
		return err
	}
	in, err := reconcileFormInput(r, l.Currency)
	if err == nil {
		_, err = s.Bank.Reconcile(r.Context(), company, l.ID, in)
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil && backoffice.ErrorCode(err) != backoffice.EPeriodClosed && backoffice.ErrorCode(err) != backoffice.ENotFound {
			return ferr
		}
		if fe == nil {
			fe = &formErrors{Message: backoffice.ErrorMessage(err)}
		}
		return s.bankReconcilePage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), fe)
	}
	next := r.PostForm.Get("next")
	if !strings.HasPrefix(next, fmt.Sprintf("/bank/statements/%d/reconcile", st.ID)) {
		next = fmt.Sprintf("/bank/statements/%d/reconcile", st.ID)
	}
	return redirectFlash(w, r, next, "Line of "+l.BookingDate.String()+" for "+decimal(l.Amount, l.Currency)+" "+string(l.Currency)+" reconciled")
}

// reconcileFormInput reads the reconcile form.
func reconcileFormInput(r *http.Request, c backoffice.Currency) (bank.ReconcileInput, error) {
	in := bank.ReconcileInput{Method: bank.MethodManual, Difference: r.PostForm.Get("difference")}
	in.Confidence, _ = strconv.Atoi(r.PostForm.Get("confidence"))
	for i, v := range r.PostForm["item"] {
		parts := strings.SplitN(v, ":", 3)
		if len(parts) < 2 {
			return in, backoffice.Errorf(backoffice.EInvalid, "item %q is not entry:line", v)
		}
		e, err1 := strconv.ParseInt(parts[0], 10, 64)
		n, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil {
			return in, backoffice.Errorf(backoffice.EInvalid, "item %q is not entry:line", v)
		}
		a := bank.ItemAllocation{Item: ledger.LineRef{EntryID: backoffice.ID(e), LineNo: n}}
		amount := r.PostForm.Get(fmt.Sprintf("amount_%d_%d", e, n))
		if amount == "" && len(parts) == 3 {
			amount = parts[2]
		}
		if amount != "" {
			v, err := parseAmount(amount, c, fmt.Sprintf("items[%d].amount", i))
			if err != nil {
				return in, err
			}
			a.Amount = v
		}
		in.Items = append(in.Items, a)
	}
	if p := r.PostForm.Get("posted"); p != "" {
		var ref ledger.LineRef
		if _, err := fmt.Sscanf(p, "%d:%d", &ref.EntryID, &ref.LineNo); err != nil {
			return in, backoffice.Errorf(backoffice.EInvalid, "posted %q is not entry:line", p)
		}
		in.Posted = &ref
	}
	if a := r.PostForm.Get("counter_account"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return in, backoffice.Errorf(backoffice.EInvalid, "choose the counter account")
		}
		in.Counter = &bank.CounterInput{AccountID: backoffice.ID(id), Memo: strings.TrimSpace(r.PostForm.Get("memo"))}
	}
	return in, nil
}

// bankAutoReconcile confirms every automatic candidate of the statement.
func (s *Server) bankAutoReconcile(w http.ResponseWriter, r *http.Request) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	res, err := s.Bank.AutoReconcile(r.Context(), company, st.ID, reconcile.Options{})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%d line(s) reconciled automatically, %d left to review", res.Confirmed, res.Left)
	if len(res.Failed) > 0 {
		msg += " (" + strings.Join(res.Failed, "; ") + ")"
	}
	return redirectFlash(w, r, fmt.Sprintf("/bank/statements/%d/reconcile", st.ID), msg)
}

// bankUnreconcile undoes the reconciliation of the form's line.
func (s *Server) bankUnreconcile(w http.ResponseWriter, r *http.Request) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	lineID, err := strconv.ParseInt(r.FormValue("line"), 10, 64)
	if err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "choose a statement line")
	}
	reason := strings.TrimSpace(r.FormValue("reason"))
	if reason == "" {
		reason = "undone from the statement page"
	}
	if err := s.Bank.Unreconcile(r.Context(), company, backoffice.ID(lineID), reason); err != nil {
		return err
	}
	return redirectFlash(w, r, fmt.Sprintf("/bank/statements/%d", st.ID), "Reconciliation undone: the line is open again")
}
