package web

import (
	"net/http"
	"strconv"
	"strings"

	"backoffice"
)

// yearEndView is the year-end close page.
type yearEndView struct {
	Years  []yearEndRow
	Year   int    // the year a failed form was about
	Reason string // what the user typed there
	Errors *formErrors
}

type yearEndRow struct {
	fiscalYearOut
	EntryURL, ReversalURL string
	ClosedAt, ReopenedAt  string
}

func (s *Server) ledgerYearEnd(w http.ResponseWriter, r *http.Request) error {
	return s.yearEndPage(w, r, http.StatusOK, yearEndView{})
}

func (s *Server) yearEndPage(w http.ResponseWriter, r *http.Request, status int, v yearEndView) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	years, err := s.fiscalYears(r, company)
	if err != nil {
		return err
	}
	for _, y := range years {
		row := yearEndRow{fiscalYearOut: y}
		if c := y.Closing; c != nil {
			row.ClosedAt = c.ClosedAt.Format("2006-01-02 15:04 UTC")
			if c.EntryID != 0 {
				row.EntryURL = "/ledger/entries/" + c.EntryID.String()
			}
			if c.ReversalID != 0 {
				row.ReversalURL = "/ledger/entries/" + c.ReversalID.String()
			}
			if c.ReopenedAt != nil {
				row.ReopenedAt = c.ReopenedAt.UTC().Format("2006-01-02 15:04 UTC")
			}
		}
		v.Years = append(v.Years, row)
	}
	return s.render(w, r, status, "ledger_report_year_end", "Year-end close", v)
}

// ledgerYearEndSet closes or reopens the year in the path; reopening needs
// a reason, which the form keeps when it is missing.
func (s *Server) ledgerYearEndSet(reopen bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, err := s.books(r)
		if err != nil {
			return err
		}
		year, err := pathYear(r)
		if err != nil {
			return err
		}
		reason := strings.TrimSpace(r.PostForm.Get("reason"))
		if _, err := s.yearEnd(r, company, year, reason, reopen); err != nil {
			fe, ferr := formFailure(err)
			if ferr != nil {
				return ferr
			}
			return s.yearEndPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), yearEndView{Year: year, Reason: reason, Errors: fe})
		}
		msg := "Fiscal year " + strconv.Itoa(year) + " closed: income and expenses moved to retained earnings and the books locked."
		if reopen {
			msg = "Fiscal year " + strconv.Itoa(year) + " reopened: the closing entry is reversed and the lock moved back."
		}
		return redirectFlash(w, r, "/ledger/close", msg)
	}
}
