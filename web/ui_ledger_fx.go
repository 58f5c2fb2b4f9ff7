package web

import (
	"net/http"
	"net/url"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// fxRatesView is the exchange-rates page: the filtered list, the form to
// add a rate and the ECB upload with its report.
type fxRatesView struct {
	Base              backoffice.Currency
	Currency, From    string
	To                string
	Rows              []fxRateRow
	Filtered          bool
	NextURL, FirstURL string
	ExportURL         string
	Showing           string
	CanManage         bool
	Form              ledger.NewRate
	FormRate          string // as typed
	FormDate          string
	Errors            *formErrors
	Import            *ledger.RateImport
	ImportFile        string
	ImportError       string
}

// fxRateRow is a rate with its inverse quotation beside it.
type fxRateRow struct {
	ledger.ExchangeRate
	Inverse string
}

// fxRevaluationView is the revaluation page: a date to preview, the
// preview or the posted revaluation of that date, and the earlier ones.
type fxRevaluationView struct {
	Date     string
	Preview  *revaluationOut
	Errors   *formErrors
	List     []revaluationOut
	CanPost  bool
	Base     backoffice.Currency
	Previous string // the end of last month, the usual date to revalue

	// The posting form: journal and accounts by code, the chart's
	// exchange difference accounts and GEN preselected.
	Journal, Gain, Loss string
	Journals            []string
	GainAccounts        []ledger.Account
	LossAccounts        []ledger.Account
}

func (s *Server) ledgerRates(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("format") == "csv" {
		return s.ledgerRatesCSV(w, r)
	}
	return s.ratesPage(w, r, http.StatusOK, fxRatesView{})
}

// ratesPage renders the list with the filters of the URL into v.
func (s *Server) ratesPage(w http.ResponseWriter, r *http.Request, status int, v fxRatesView) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v.Base, v.CanManage = baseCurrency(r), principal(r).Can("ledger.manage")
	v.Currency, v.From, v.To = q.Get("currency"), q.Get("from"), q.Get("to")
	v.Filtered = v.Currency != "" || v.From != "" || v.To != ""
	f, err := rateFilter(r)
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		if v.Errors == nil {
			v.Errors = fe
		}
		f = ledger.RateFilter{}
	}
	if f.Page, err = pageOf(r); err != nil {
		return err
	}
	list, err := s.Ledger.Rates(r.Context(), company, f)
	if err != nil {
		return err
	}
	for _, x := range list.Items {
		v.Rows = append(v.Rows, fxRateRow{ExchangeRate: x, Inverse: ledger.InverseRate(x.Rate)})
	}
	lv := listView{}
	lv.pageLinks(r, list.Next, len(list.Items))
	v.NextURL, v.FirstURL, v.Showing = lv.NextURL, lv.FirstURL, lv.Showing
	v.ExportURL = withQuery(r, "format", "csv")
	return s.render(w, r, status, "ledger_fx_rates", "Exchange rates", v)
}

// ledgerRatesCSV exports every rate the filters select.
func (s *Server) ledgerRatesCSV(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	f, err := rateFilter(r)
	if err != nil {
		return err
	}
	var rows [][]string
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Ledger.Rates(r.Context(), company, f)
		if err != nil {
			return err
		}
		for _, x := range list.Items {
			rows = append(rows, []string{x.Date.String(), string(x.Currency), x.Rate, x.Source})
		}
		if list.Next == "" || len(rows) >= 200_000 {
			break
		}
		f.Page.After = list.Next
	}
	return writeCSV(w, "exchange-rates.csv", []string{"date", "currency", "rate_" + strings.ToLower(string(baseCurrency(r))) + "_per_unit", "source"}, rows)
}

// ledgerRateSet adds or replaces one rate from the page's form.
func (s *Server) ledgerRateSet(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	v := fxRatesView{FormRate: strings.TrimSpace(r.PostForm.Get("rate")), FormDate: strings.TrimSpace(r.PostForm.Get("date"))}
	v.Form.Currency = backoffice.Currency(strings.ToUpper(strings.TrimSpace(r.PostForm.Get("currency"))))
	v.Form.Rate = strings.Replace(v.FormRate, ",", ".", 1) // a decimal comma where it is customary
	date, derr := backoffice.ParseDate(v.FormDate)
	v.Form.Date = date
	if derr != nil {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "the date is not a date", Fields: map[string]string{"rates[0].date": "must be a date as YYYY-MM-DD"}}
	} else {
		_, err = s.Ledger.SetRates(r.Context(), company, []ledger.NewRate{v.Form}, "manual")
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		plain := map[string]string{} // the form has one rate: name its fields plainly
		for k, m := range fe.Fields {
			plain[strings.TrimPrefix(k, "rates[0].")] = m
		}
		fe.Fields, v.Errors = plain, fe
		return s.ratesPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), v)
	}
	return redirectFlash(w, r, "/ledger/exchange-rates", "1 "+string(v.Form.Currency)+" = "+v.Form.Rate+" "+string(baseCurrency(r))+" from "+date.String()+".")
}

// ledgerRatesImport imports an uploaded ECB file and shows its report.
func (s *Server) ledgerRatesImport(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	v := fxRatesView{}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		v.ImportError = "Choose the ECB file (eurofxref.csv or eurofxref-hist.csv) to import."
		return s.ratesPage(w, r, http.StatusUnprocessableEntity, v)
	}
	defer f.Close()
	v.ImportFile = hdr.Filename
	rep, err := s.Ledger.ImportECBRates(r.Context(), company, f, r.FormValue("dry_run") != "")
	v.Import = &rep
	status := http.StatusOK
	if err != nil {
		if backoffice.ErrorCode(err) == backoffice.EInternal {
			return err
		}
		v.ImportError, status = backoffice.ErrorMessage(err), http.StatusUnprocessableEntity
	}
	return s.ratesPage(w, r, status, v)
}

// ledgerRevaluation shows the revaluations and, for ?date=, the preview
// of that date (or what was posted for it).
func (s *Server) ledgerRevaluation(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	v := fxRevaluationView{Date: strings.TrimSpace(r.URL.Query().Get("date"))}
	if v.Date != "" {
		date, err := backoffice.ParseDate(v.Date)
		if err == nil {
			var rv ledger.Revaluation
			rv, err = s.Ledger.Revalue(r.Context(), company, ledger.RevalueOptions{Date: date, DryRun: true})
			out := toRevaluationOut(rv)
			v.Preview = &out
		}
		if err != nil {
			fe, ferr := revaluationFailure(err)
			if ferr != nil {
				return ferr
			}
			v.Preview, v.Errors = nil, fe
		}
	}
	return s.revaluationPage(w, r, company, http.StatusOK, v)
}

func (s *Server) revaluationPage(w http.ResponseWriter, r *http.Request, company backoffice.ID, status int, v fxRevaluationView) error {
	list, err := s.Ledger.Revaluations(r.Context(), company)
	if err != nil {
		return err
	}
	for _, rv := range list {
		v.List = append(v.List, toRevaluationOut(rv))
	}
	today := s.today()
	v.Previous = backoffice.NewDate(today.Year, today.Month, 1).AddDays(-1).String()
	if v.Date == "" {
		v.Date = v.Previous
	}
	v.CanPost, v.Base = principal(r).Can("ledger.close"), baseCurrency(r)
	if v.CanPost {
		if err := s.revaluationChoices(r, company, &v); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "ledger_fx_revaluation", "Revaluation", v)
}

// revaluationChoices fills the journals and the income and expense
// accounts the posting form offers, keeping what was chosen.
func (s *Server) revaluationChoices(r *http.Request, company backoffice.ID, v *fxRevaluationView) error {
	js, err := s.Ledger.ListJournals(r.Context(), company)
	if err != nil {
		return err
	}
	for _, j := range js {
		if !j.Blocked {
			v.Journals = append(v.Journals, j.Code)
		}
	}
	if v.Journal == "" {
		v.Journal = "GEN"
	}
	unblocked := false
	for _, c := range []struct {
		t      ledger.AccountType
		list   *[]ledger.Account
		chosen *string
	}{{ledger.Income, &v.GainAccounts, &v.Gain}, {ledger.Expense, &v.LossAccounts, &v.Loss}} {
		list, err := s.Ledger.ListAccounts(r.Context(), company, ledger.AccountFilter{Type: c.t, Blocked: &unblocked, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
		if err != nil {
			return err
		}
		*c.list = list.Items
		for _, a := range list.Items {
			if *c.chosen == "" && a.Subtype == "exchange_difference" {
				*c.chosen = a.Code
			}
		}
	}
	return nil
}

// revaluationFailure is formFailure that also shows a locked period on the
// form, since the date is what the user chose.
func revaluationFailure(err error) (*formErrors, error) {
	if backoffice.ErrorCode(err) == backoffice.EPeriodClosed {
		return &formErrors{Message: backoffice.ErrorMessage(err), Fields: map[string]string{}}, nil
	}
	return formFailure(err)
}

// ledgerRevalue posts the revaluation of the form's date.
func (s *Server) ledgerRevalue(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	v := fxRevaluationView{Date: strings.TrimSpace(r.PostForm.Get("date")), Journal: r.PostForm.Get("journal"),
		Gain: r.PostForm.Get("gain_account"), Loss: r.PostForm.Get("loss_account")}
	date, err := backoffice.ParseDate(v.Date)
	var rv ledger.Revaluation
	if err != nil {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "the date is not a date", Fields: map[string]string{"date": "must be a date as YYYY-MM-DD"}}
	} else {
		var opts ledger.RevalueOptions
		opts, err = s.revalueOptions(r, company, revaluationIn{Date: date, Journal: v.Journal, GainAccount: v.Gain, LossAccount: v.Loss})
		if err == nil {
			rv, err = s.Ledger.Revalue(r.Context(), company, opts)
		}
	}
	if err != nil {
		fe, ferr := revaluationFailure(err)
		if ferr != nil {
			return ferr
		}
		v.Errors = fe
		return s.revaluationPage(w, r, company, backoffice.HTTPStatus(backoffice.ErrorCode(err)), v)
	}
	base := baseCurrency(r)
	msg := "Revaluation at " + date.String() + " posted as " + rv.EntryNumber + ", reversed on " + date.AddDays(1).String() + " by " + rv.ReversalNumber +
		": gains " + decimal(rv.Gain, base) + ", losses " + decimal(rv.Loss, base) + " " + string(base) + "."
	switch {
	case rv.AlreadyPosted:
		msg = "The revaluation at " + date.String() + " was posted before (" + rv.EntryNumber + "); nothing new was posted."
	case rv.NothingToRevalue:
		msg = "Nothing to revalue at " + date.String() + ": every foreign balance is booked at that day's rate."
	}
	return redirectFlash(w, r, "/ledger/revaluations?date="+url.QueryEscape(date.String()), msg)
}
