package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
)

// dunningView is the data of the dunning page: the levels form, the
// preview of a run on Date and the past runs.
type dunningView struct {
	Date     backoffice.Date
	Levels   []dunningLevelRow
	Preview  []dunningItemRow
	Skipped  []invoice.DunningSkip
	Runs     []invoice.DunningRun
	Holds    []invoice.DunningHoldRow
	Parties  []party.Party // customers, for the hold form
	Currency backoffice.Currency
	CanPost  bool
	CanEdit  bool
	Next     int // the number of a level to add
	Errors   *formErrors
	History  []historyItem
}

// dunningLevelRow is one level as the form shows it.
type dunningLevelRow struct {
	Level                  int
	Days, Fee, Interest    string
	TextEN, TextDE, TextFR string
	Errs                   map[string]string // field errors by levels[i]. suffix
}

// dunningItemRow is an invoice of a preview or run with its amounts formatted.
type dunningItemRow struct {
	invoice.DunningItem
	Open, Fee, Interest string
}

func dunningRows(items []invoice.DunningItem) []dunningItemRow {
	out := make([]dunningItemRow, len(items))
	for i, it := range items {
		out[i] = dunningItemRow{DunningItem: it, Open: backoffice.NewMoney(it.OpenAmount, it.Currency).String(),
			Fee: backoffice.NewMoney(it.Fee, it.Currency).String(), Interest: backoffice.NewMoney(it.Interest, it.Currency).String()}
	}
	return out
}

func (s *Server) dunningPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDunning(w, r, http.StatusOK, nil, nil)
}

// renderDunning shows the page; typed, when not nil, are the levels a
// failed save keeps in the form.
func (s *Server) renderDunning(w http.ResponseWriter, r *http.Request, status int, typed []dunningLevelRow, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	date, err := dateParam(r.URL.Query(), "date")
	if err != nil {
		return err
	}
	if date.IsZero() {
		date = backoffice.DateOf(s.now())
	}
	p, err := s.Invoice.PreviewDunning(r.Context(), company, date)
	if err != nil {
		return err
	}
	runs, err := s.Invoice.ListDunningRuns(r.Context(), company, 50)
	if err != nil {
		return err
	}
	holds, err := s.Invoice.ListDunningHolds(r.Context(), company)
	if err != nil {
		return err
	}
	parties, err := s.Party.List(r.Context(), company, party.Filter{Kind: party.KindCustomer})
	if err != nil {
		return err
	}
	cur := baseCurrency(r)
	v := dunningView{Holds: holds, Parties: parties, Date: date, Preview: dunningRows(p.Items), Skipped: p.Skipped, Runs: runs, Currency: cur,
		CanPost: principal(r).Can("invoice.post"), CanEdit: principal(r).Can("invoice.manage"), Errors: fe, Levels: typed}
	if typed == nil {
		for _, l := range p.Levels {
			v.Levels = append(v.Levels, dunningLevelRow{Level: l.Level, Days: strconv.Itoa(l.DaysOverdue), Fee: backoffice.FormatMinor(l.Fee, cur.Exponent()),
				Interest: l.InterestPercent.String(), TextEN: l.Texts["en"], TextDE: l.Texts["de"], TextFR: l.Texts["fr"]})
		}
	}
	v.Next = len(v.Levels) + 1
	if fe != nil {
		for i := range v.Levels {
			v.Levels[i].Errs = map[string]string{}
			prefix := fmt.Sprintf("levels[%d].", i)
			for k, m := range fe.Fields {
				if strings.HasPrefix(k, prefix) {
					v.Levels[i].Errs[strings.TrimPrefix(k, prefix)] = m
				}
			}
		}
	}
	recs, err := s.history(r, "dunning_levels", company.String())
	if err != nil {
		return err
	}
	v.History = historyOf(recs)
	return s.render(w, r, status, "dunning", "Dunning", v)
}

// dunningLevelsUpdate saves the levels form: rows level_1 … level_n, a row
// with empty days is left out.
func (s *Server) dunningLevelsUpdate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	exp := baseCurrency(r).Exponent()
	f := r.PostForm
	var typed []dunningLevelRow
	var levels []invoice.DunningLevel
	v := backoffice.Validation{}
	for i := 1; i <= 9; i++ {
		k := func(name string) string { return f.Get(fmt.Sprintf("%s_%d", name, i)) }
		row := dunningLevelRow{Level: len(typed) + 1, Days: k("days"), Fee: k("fee"), Interest: k("interest"), TextEN: k("text_en"), TextDE: k("text_de"), TextFR: k("text_fr")}
		if row.Days == "" {
			continue
		}
		field := fmt.Sprintf("levels[%d].", len(typed))
		typed = append(typed, row)
		l := invoice.DunningLevel{Level: row.Level, Texts: map[string]string{"en": row.TextEN, "de": row.TextDE, "fr": row.TextFR}}
		if l.DaysOverdue, err = strconv.Atoi(row.Days); err != nil {
			v.Add(field+"days_overdue", "must be a whole number of days")
		}
		if l.Fee, err = backoffice.ParseMinor(row.Fee, exp); row.Fee != "" && err != nil {
			v.Add(field+"fee", "must be an amount like 5.00")
		}
		if row.Interest != "" {
			if l.InterestPercent, err = invoice.ParsePercent(row.Interest); err != nil {
				v.Add(field+"interest_percent", "must be a percentage like 5 or 8.12")
			}
		}
		levels = append(levels, l)
	}
	err = v.Err("dunning levels")
	if err == nil {
		_, err = s.Invoice.SetDunningLevels(r.Context(), company, levels)
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.renderDunning(w, r, http.StatusUnprocessableEntity, typed, fe)
	}
	return redirectFlash(w, r, "/dunning", "Dunning levels saved.")
}

// dunningRunPost posts a run of the checked invoices of the preview.
func (s *Server) dunningRunPost(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	in := invoice.DunningRunInput{}
	if in.Date, err = backoffice.ParseDate(r.PostForm.Get("date")); err != nil {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "the run's date is not a date", Fields: map[string]string{"date": "must be a date as YYYY-MM-DD"}}
	}
	for _, x := range r.PostForm["document_id"] {
		id, err := backoffice.ParseID(x)
		if err != nil {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "an invoice id is not a number", Fields: map[string]string{"document_id": "must be invoice ids"}}
		}
		in.DocumentIDs = append(in.DocumentIDs, id)
	}
	if len(in.DocumentIDs) == 0 {
		return redirectFlash(w, r, "/dunning?date="+in.Date.String(), "Tick the invoices to dun first.")
	}
	run, err := s.Invoice.PostDunning(r.Context(), company, in)
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/dunning/runs/"+run.ID.String(), fmt.Sprintf("Dunning run posted: %d invoices, %d letters.", run.InvoiceCount, run.LetterCount))
}

// dunningRunView is the data of a run's page.
type dunningRunView struct {
	Run     invoice.DunningRun
	Items   []dunningItemRow
	History []historyItem
}

func (s *Server) dunningRunShow(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	run, err := s.Invoice.GetDunningRun(r.Context(), company, id)
	if err != nil {
		return err
	}
	recs, err := s.history(r, "dunning_run", id.String())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dunning_run", fmt.Sprintf("Dunning run %d", run.ID), dunningRunView{Run: run, Items: dunningRows(run.Items), History: historyOf(recs)})
}

// dunningHoldUpdate sets or clears a hold flag from the dunning page.
func (s *Server) dunningHoldUpdate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	id, err := backoffice.ParseID(f.Get("target_id"))
	if err != nil {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "choose the invoice or customer to hold", Fields: map[string]string{"target_id": "choose one"}}
	}
	h := invoice.DunningHold{Target: invoice.DunningHoldTarget(f.Get("target")), TargetID: id, Held: f.Get("held") == "true", Reason: f.Get("reason")}
	if _, err := s.Invoice.SetDunningHold(r.Context(), company, h); err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.renderDunning(w, r, http.StatusUnprocessableEntity, nil, fe)
	}
	msg := "Hold released."
	if h.Held {
		msg = "On hold: dunning runs skip it until released."
	}
	return redirectFlash(w, r, "/dunning", msg)
}
