package web

import (
	"net/http"
	"net/url"
	"strconv"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
)

// runBadge is the badge tone of a run's state.
func runBadge(st invoice.RunState) cell {
	tone := map[invoice.RunState]string{invoice.RunDraft: "muted", invoice.RunApproved: "warn", invoice.RunSent: "warn",
		invoice.RunConfirmed: "ok", invoice.RunCancelled: "muted"}[st]
	return cell{Text: humanAction(string(st)), Badge: tone}
}

// paymentRunsList lists the company's payment runs; ?state= filters.
func (s *Server) paymentRunsList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, _ := pageOf(r)
	st := invoice.RunState(q.Get("state"))
	list, err := s.Invoice.ListRuns(r.Context(), company, invoice.RunFilter{State: st, Query: q.Get("q"), Page: page})
	if err != nil {
		if _, ferr := formFailure(err); ferr != nil {
			return err
		}
		st = ""
		if list, err = s.Invoice.ListRuns(r.Context(), company, invoice.RunFilter{Query: q.Get("q"), Page: page}); err != nil {
			return err
		}
	}
	v := listView{Title: "Payment runs", SearchHint: "Search run number",
		Help:    "Supplier payment runs: the bills due, reviewed and approved, sent to the bank as one transfer per supplier, and posted as payments when the bank confirms.",
		Empty:   "No payment runs yet. A run pays every bill due by a day in one go.",
		Columns: []column{{Label: "Number"}, {Label: "Pay date"}, {Label: "Due by"}, {Label: "State"}, {Label: "Total", Numeric: true}, {Label: "Discounts", Numeric: true}},
	}
	for _, c := range []struct{ label, state string }{{"All", ""}, {"Draft", "draft"}, {"Approved", "approved"}, {"Sent", "sent"}, {"Confirmed", "confirmed"}} {
		v.Filters = append(v.Filters, chip{Label: c.label, URL: withQuery(r, "state", c.state), Active: string(st) == c.state})
	}
	if principal(r).Can("payment.manage") {
		v.NewURL, v.NewLabel = "/payment-runs/new", "New payment run"
	}
	for _, run := range list.Items {
		exp := run.Currency.Exponent()
		v.Rows = append(v.Rows, listRow{URL: "/payment-runs/" + run.ID.String(), Cells: []cell{{Text: run.Number}, {Text: run.PayDate.String()},
			{Text: run.DueBy.String()}, runBadge(run.State), {Text: backoffice.FormatMinor(run.Total, exp) + " " + string(run.Currency), Numeric: true},
			{Text: backoffice.FormatMinor(run.Discounts, exp), Numeric: true}}})
	}
	v.pageLinks(r, list.Next, len(list.Items))
	v.Hidden = hiddenQuery(q, "state")
	return s.render(w, r, http.StatusOK, "payment_runs", "Payment runs", v)
}

// runForm is the data of the new payment run page.
type runForm struct {
	Values    url.Values
	Errors    *formErrors
	Fields    map[string]payField
	Suppliers []option
	Accounts  []option
}

func (s *Server) paymentRunNew(w http.ResponseWriter, r *http.Request) error {
	today := s.today()
	vals := url.Values{"pay_date": {today.String()}, "due_by": {today.AddDays(7).String()}, "take_discounts": {"1"}}
	return s.runFormPage(w, r, http.StatusOK, vals, nil)
}

func (s *Server) runFormPage(w http.ResponseWriter, r *http.Request, status int, vals url.Values, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := runForm{Values: vals, Errors: fe, Fields: payFields(vals, fe, [4]string{"pay_date", "Pay date", "date", "the day the bank pays"},
		[4]string{"due_by", "Due by", "date", "bills due on or before"})}
	suppliers, err := s.Party.List(r.Context(), company, party.Filter{Kind: party.KindSupplier})
	if err != nil {
		return err
	}
	f.Suppliers = append(f.Suppliers, option{Value: "", Label: "All suppliers"})
	for _, p := range suppliers {
		f.Suppliers = append(f.Suppliers, option{Value: p.ID.String(), Label: p.Name(), Selected: vals.Get("supplier_id") == p.ID.String()})
	}
	if f.Accounts, err = s.cashAccounts(r, company, vals.Get("account_id")); err != nil {
		return err
	}
	return s.render(w, r, status, "payment_run_form", "New payment run", f)
}

func (s *Server) paymentRunCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	bad := map[string]string{}
	in := invoice.RunInput{TakeDiscounts: vals.Get("take_discounts") != ""}
	if in.PayDate, err = backoffice.ParseDate(vals.Get("pay_date")); err != nil {
		bad["pay_date"] = "must be a date, YYYY-MM-DD"
	}
	if in.DueBy, err = backoffice.ParseDate(vals.Get("due_by")); err != nil {
		bad["due_by"] = "must be a date, YYYY-MM-DD"
	}
	in.SupplierID, _ = backoffice.ParseID(vals.Get("supplier_id"))
	in.AccountID, _ = backoffice.ParseID(vals.Get("account_id"))
	var run invoice.Run
	if len(bad) == 0 {
		run, err = s.Invoice.CreateRun(r.Context(), company, in)
	}
	if err != nil || len(bad) > 0 {
		fe := &formErrors{Message: "Please correct the marked fields.", Fields: bad}
		if err != nil {
			if fe, err = formFailure(err); err != nil {
				return err
			}
		}
		return s.runFormPage(w, r, http.StatusUnprocessableEntity, vals, fe)
	}
	return redirectFlash(w, r, "/payment-runs/"+run.ID.String(), "Run "+run.Number+" drafted: review the bills, then approve it.")
}

// runView is the data of a payment run's review page.
type runView struct {
	Run                  invoice.Run
	Transfers            []transferView
	Total, Discounts     string
	Account              string
	CanManage, CanRemove bool
	CanApprove, CanSend  bool
	CanConfirm           bool
	CanCancel            bool
	Errors               *formErrors
	History              []historyItem
}

type transferView struct {
	invoice.Transfer
	Amount string
	Lines  []runLineView
}

type runLineView struct {
	invoice.RunLine
	Amount, Discount string
}

func (s *Server) paymentRunShow(w http.ResponseWriter, r *http.Request) error {
	_, run, err := s.runOf(r)
	if err != nil {
		return err
	}
	return s.runPage(w, r, http.StatusOK, run, nil)
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request, status int, run invoice.Run, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	exp := run.Currency.Exponent()
	amt := func(n int64) string { return backoffice.FormatMinor(n, exp) }
	p := principal(r)
	v := runView{Run: run, Total: amt(run.Total) + " " + string(run.Currency), Discounts: amt(run.Discounts), Errors: fe,
		CanManage: p.Can("payment.manage"), CanApprove: p.Can("payment.approve") && run.State == invoice.RunDraft}
	v.CanRemove = v.CanManage && run.State == invoice.RunDraft && len(run.Lines) > 1
	v.CanSend = p.Can("payment.approve") && run.State == invoice.RunApproved
	v.CanConfirm = p.Can("payment.approve") && (run.State == invoice.RunApproved || run.State == invoice.RunSent)
	v.CanCancel = v.CanManage && run.State != invoice.RunConfirmed && run.State != invoice.RunCancelled
	if a, err := s.Ledger.GetAccount(r.Context(), company, run.AccountID); err == nil {
		v.Account = a.Code + " " + a.Name
	}
	for _, t := range run.Transfers() {
		tv := transferView{Transfer: t, Amount: amt(t.Amount)}
		for _, l := range t.Lines {
			tv.Lines = append(tv.Lines, runLineView{RunLine: l, Amount: amt(l.Amount), Discount: amt(l.Discount)})
		}
		v.Transfers = append(v.Transfers, tv)
	}
	recs, err := s.history(r, "payment_run", run.ID.String())
	if err != nil {
		return err
	}
	v.History = historyOf(recs)
	return s.render(w, r, status, "payment_run", run.Number, v)
}

// paymentRunAction serves a state change posted from the review page.
func (s *Server) paymentRunAction(act func(*http.Request, backoffice.ID, invoice.Run) (invoice.Run, string, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, run, err := s.runOf(r)
		if err != nil {
			return err
		}
		_, msg, err := act(r, company, run)
		if err != nil {
			fe, ferr := paymentFailure(err)
			if ferr != nil {
				return ferr
			}
			return s.runPage(w, r, http.StatusUnprocessableEntity, run, fe)
		}
		return redirectFlash(w, r, "/payment-runs/"+run.ID.String(), msg)
	}
}

func (s *Server) runApprove(r *http.Request, company backoffice.ID, run invoice.Run) (invoice.Run, string, error) {
	out, err := s.Invoice.ApproveRun(r.Context(), company, run.ID)
	return out, "Approved: send the payment file to the bank, then confirm when it has paid.", err
}

func (s *Server) runSend(r *http.Request, company backoffice.ID, run invoice.Run) (invoice.Run, string, error) {
	out, err := s.Invoice.MarkRunSent(r.Context(), company, run.ID)
	return out, "Marked as sent to the bank.", err
}

func (s *Server) runConfirm(r *http.Request, company backoffice.ID, run invoice.Run) (invoice.Run, string, error) {
	out, err := s.Invoice.ConfirmRun(r.Context(), company, run.ID)
	return out, "Confirmed: one payment per supplier is posted.", err
}

func (s *Server) runCancel(r *http.Request, company backoffice.ID, run invoice.Run) (invoice.Run, string, error) {
	out, err := s.Invoice.CancelRun(r.Context(), company, run.ID, r.PostForm.Get("reason"))
	return out, "Cancelled: its bills can be selected again.", err
}

func (s *Server) runRemoveLine(r *http.Request, company backoffice.ID, run invoice.Run) (invoice.Run, string, error) {
	seq, _ := strconv.Atoi(r.PostForm.Get("seq"))
	out, err := s.Invoice.RemoveRunLine(r.Context(), company, run.ID, seq)
	return out, "Bill taken out of the run.", err
}
