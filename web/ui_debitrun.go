package web

import (
	"net/http"
	"net/url"
	"strconv"

	"backoffice"
	"backoffice/bank/pain"
	"backoffice/invoice"
)

// debitRunBadge is the badge tone of a direct debit run's state.
func debitRunBadge(st invoice.DebitRunState) cell {
	tone := map[invoice.DebitRunState]string{invoice.DebitDraft: "muted", invoice.DebitApproved: "warn", invoice.DebitExported: "warn",
		invoice.DebitConfirmed: "ok", invoice.DebitCancelled: "muted"}[st]
	return cell{Text: humanAction(string(st)), Badge: tone}
}

// debitRunsView is the list of direct debit runs with the pain.002 upload.
type debitRunsView struct {
	List      *listView
	CanUpload bool
}

// debitRunsList lists the company's direct debit runs; ?state= filters.
func (s *Server) debitRunsList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, _ := pageOf(r)
	st := invoice.DebitRunState(q.Get("state"))
	list, err := s.Invoice.ListDebitRuns(r.Context(), company, invoice.DebitRunFilter{State: st, Query: q.Get("q"), Page: page})
	if err != nil {
		if _, ferr := formFailure(err); ferr != nil {
			return err
		}
		st = ""
		if list, err = s.Invoice.ListDebitRuns(r.Context(), company, invoice.DebitRunFilter{Query: q.Get("q"), Page: page}); err != nil {
			return err
		}
	}
	v := &listView{Title: "Direct debit runs", SearchHint: "Search run number",
		Help:    "SEPA direct debits: the customer invoices due, collected under the customers' mandates, exported as a pain.008 file for the bank and posted as received payments when the bank confirms.",
		Empty:   "No direct debit runs yet. Add a mandate to a customer (on its page), then a run collects its invoices due by a day.",
		Columns: []column{{Label: "Number"}, {Label: "Collection date"}, {Label: "Due by"}, {Label: "State"}, {Label: "Collections", Numeric: true}, {Label: "Total", Numeric: true}},
	}
	for _, c := range []struct{ label, state string }{{"All", ""}, {"Draft", "draft"}, {"Approved", "approved"}, {"Exported", "exported"}, {"Confirmed", "confirmed"}} {
		v.Filters = append(v.Filters, chip{Label: c.label, URL: withQuery(r, "state", c.state), Active: string(st) == c.state})
	}
	if principal(r).Can("payment.manage") {
		v.NewURL, v.NewLabel = "/debit-runs/new", "New direct debit run"
	}
	for _, run := range list.Items {
		v.Rows = append(v.Rows, listRow{URL: "/debit-runs/" + run.ID.String(), Cells: []cell{{Text: run.Number}, {Text: run.CollectionDate.String()},
			{Text: run.DueBy.String()}, debitRunBadge(run.State), {Text: backoffice.FormatMinor(int64(run.Count), 0), Numeric: true},
			{Text: backoffice.FormatMinor(run.Total, run.Currency.Exponent()) + " " + string(run.Currency), Numeric: true}}})
	}
	v.pageLinks(r, list.Next, len(list.Items))
	v.Hidden = hiddenQuery(q, "state")
	return s.render(w, r, http.StatusOK, "debitruns", "Direct debit runs", debitRunsView{List: v, CanUpload: principal(r).Can("payment.approve")})
}

// debitRunForm is the data of the new direct debit run page.
type debitRunForm struct {
	Values   url.Values
	Errors   *formErrors
	Fields   map[string]payField
	Accounts []option
}

func (s *Server) debitRunNew(w http.ResponseWriter, r *http.Request) error {
	today := s.today()
	return s.debitRunFormPage(w, r, http.StatusOK, url.Values{"collection_date": {today.AddDays(2).String()}, "due_by": {today.AddDays(2).String()}}, nil)
}

func (s *Server) debitRunFormPage(w http.ResponseWriter, r *http.Request, status int, vals url.Values, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := debitRunForm{Values: vals, Errors: fe, Fields: payFields(vals, fe, [4]string{"collection_date", "Collection date", "date", "the day the bank collects"},
		[4]string{"due_by", "Due by", "date", "invoices due on or before"})}
	if f.Accounts, err = s.cashAccounts(r, company, vals.Get("account_id")); err != nil {
		return err
	}
	return s.render(w, r, status, "debitrun_form", "New direct debit run", f)
}

func (s *Server) debitRunCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	bad := map[string]string{}
	var in invoice.DebitRunInput
	if in.CollectionDate, err = backoffice.ParseDate(vals.Get("collection_date")); err != nil {
		bad["collection_date"] = "must be a date, YYYY-MM-DD"
	}
	if in.DueBy, err = backoffice.ParseDate(vals.Get("due_by")); err != nil {
		bad["due_by"] = "must be a date, YYYY-MM-DD"
	}
	in.AccountID, _ = backoffice.ParseID(vals.Get("account_id"))
	var run invoice.DebitRun
	if len(bad) == 0 {
		run, err = s.Invoice.CreateDebitRun(r.Context(), company, in)
	}
	if err != nil || len(bad) > 0 {
		fe := &formErrors{Message: "Please correct the marked fields.", Fields: bad}
		if err != nil {
			if fe, err = formFailure(err); err != nil {
				return err
			}
		}
		return s.debitRunFormPage(w, r, http.StatusUnprocessableEntity, vals, fe)
	}
	return redirectFlash(w, r, "/debit-runs/"+run.ID.String(), "Run "+run.Number+" drafted: review the collections, then approve it.")
}

// debitRunView is the data of a direct debit run's review page.
type debitRunView struct {
	Run        invoice.DebitRun
	Lines      []debitLineView
	Total      string
	Account    string
	CanApprove bool
	CanRemove  bool
	CanExport  bool
	CanConfirm bool
	CanCancel  bool
	Errors     *formErrors
	History    []historyItem
}

type debitLineView struct {
	invoice.DebitLine
	Amount string
}

func (s *Server) debitRunShow(w http.ResponseWriter, r *http.Request) error {
	_, run, err := s.debitRunOf(r)
	if err != nil {
		return err
	}
	return s.debitRunPage(w, r, http.StatusOK, run, nil)
}

func (s *Server) debitRunPage(w http.ResponseWriter, r *http.Request, status int, run invoice.DebitRun, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	exp := run.Currency.Exponent()
	p := principal(r)
	open := run.State == invoice.DebitApproved || run.State == invoice.DebitExported
	v := debitRunView{Run: run, Total: backoffice.FormatMinor(run.Total, exp) + " " + string(run.Currency), Errors: fe,
		CanApprove: p.Can("payment.approve") && run.State == invoice.DebitDraft, CanExport: p.Can("payment.approve") && open,
		CanConfirm: p.Can("payment.approve") && open,
		CanCancel:  p.Can("payment.manage") && run.State != invoice.DebitConfirmed && run.State != invoice.DebitCancelled}
	v.CanRemove = p.Can("payment.manage") && run.State == invoice.DebitDraft && len(run.Lines) > 1
	if a, err := s.Ledger.GetAccount(r.Context(), company, run.AccountID); err == nil {
		v.Account = a.Code + " " + a.Name
	}
	for _, l := range run.Lines {
		v.Lines = append(v.Lines, debitLineView{DebitLine: l, Amount: backoffice.FormatMinor(l.Amount, exp)})
	}
	recs, err := s.history(r, "debit_run", run.ID.String())
	if err != nil {
		return err
	}
	v.History = historyOf(recs)
	return s.render(w, r, status, "debitrun", run.Number, v)
}

// debitRunAction serves a state change posted from the review page.
func (s *Server) debitRunAction(act func(*http.Request, backoffice.ID, invoice.DebitRun) (string, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, run, err := s.debitRunOf(r)
		if err != nil {
			return err
		}
		msg, err := act(r, company, run)
		if err != nil {
			fe, ferr := paymentFailure(err)
			if ferr != nil {
				return ferr
			}
			return s.debitRunPage(w, r, http.StatusUnprocessableEntity, run, fe)
		}
		return redirectFlash(w, r, "/debit-runs/"+run.ID.String(), msg)
	}
}

func (s *Server) debitRunApprove(r *http.Request, company backoffice.ID, run invoice.DebitRun) (string, error) {
	_, err := s.Invoice.ApproveDebitRun(r.Context(), company, run.ID)
	return "Approved: download the pain.008 file for the bank, then confirm when it has collected.", err
}

func (s *Server) debitRunConfirm(r *http.Request, company backoffice.ID, run invoice.DebitRun) (string, error) {
	_, err := s.Invoice.ConfirmDebitRun(r.Context(), company, run.ID)
	return "Confirmed: one received payment per invoice is posted.", err
}

func (s *Server) debitRunCancel(r *http.Request, company backoffice.ID, run invoice.DebitRun) (string, error) {
	_, err := s.Invoice.CancelDebitRun(r.Context(), company, run.ID, r.PostForm.Get("reason"))
	return "Cancelled: its invoices can be selected again.", err
}

// debitRunExport downloads the run's pain.008 file (?format=); a failure
// (no creditor id, no bank account) is shown on the review page.
func (s *Server) debitRunExport(w http.ResponseWriter, r *http.Request) error {
	company, run, err := s.debitRunOf(r)
	if err != nil {
		return err
	}
	v := pain.Version(r.URL.Query().Get("format"))
	if v == "" {
		v = pain.DirectDebit02
	}
	file, out, err := s.Invoice.ExportDebitRun(r.Context(), company, run.ID, v)
	if err != nil {
		fe, ferr := paymentFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.debitRunPage(w, r, http.StatusUnprocessableEntity, run, fe)
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+out.Number+`.xml"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(file)
	return err
}

// paymentStatusView is what an uploaded pain.002 did.
type paymentStatusView struct {
	Result invoice.StatusResult
	Errors *formErrors
}

// paymentStatusUpload applies a pain.002 uploaded from the payment runs or
// direct debit runs page and shows what it did.
func (s *Server) paymentStatusUpload(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	res, err := s.applyPaymentStatus(r, company)
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "debitrun_status", "Payment status report", paymentStatusView{Errors: fe})
	}
	return s.render(w, r, http.StatusOK, "debitrun_status", "Payment status report", paymentStatusView{Result: res})
}

func (s *Server) debitRunRemoveLine(r *http.Request, company backoffice.ID, run invoice.DebitRun) (string, error) {
	seq, _ := strconv.Atoi(r.PostForm.Get("seq"))
	_, err := s.Invoice.RemoveDebitLine(r.Context(), company, run.ID, seq)
	return "Invoice taken out of the run.", err
}
