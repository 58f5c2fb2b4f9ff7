package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// yearClosingOut is a fiscal year's closing: the entry that moved income
// and expenses to retained earnings and, once reopened, its reversal.
type yearClosingOut struct {
	Year         int             `json:"year"`
	End          backoffice.Date `json:"end"`
	EntryID      backoffice.ID   `json:"entry_id,omitempty"` // none when no income or expense account had a balance
	ReversalID   backoffice.ID   `json:"reversal_id,omitempty"`
	Reason       string          `json:"reason"`
	ReopenReason string          `json:"reopen_reason,omitempty"`
	ClosedAt     time.Time       `json:"closed_at"`
	ReopenedAt   *time.Time      `json:"reopened_at,omitempty"`
}

// fiscalYearOut is a fiscal year with its closing state: open (never
// closed, or reopened) or closed, and whether it has ended.
type fiscalYearOut struct {
	Year    int             `json:"year"`
	Start   backoffice.Date `json:"start"`
	End     backoffice.Date `json:"end"`
	State   string          `json:"state"` // open, closed, reopened
	Ended   bool            `json:"ended"` // only an ended year can be closed
	Closing *yearClosingOut `json:"closing,omitempty"`
}

// yearReasonIn is the body of a close or reopen: the reason the change log
// keeps (required to reopen).
type yearReasonIn struct {
	Reason string `json:"reason"`
}

func toYearClosingOut(c ledger.YearClosing) *yearClosingOut {
	return &yearClosingOut{Year: c.Year, End: c.End, EntryID: c.EntryID, ReversalID: c.ReversalID, Reason: c.Reason,
		ReopenReason: c.ReopenReason, ClosedAt: c.ClosedAt.UTC(), ReopenedAt: c.ReopenedAt}
}

// fiscalYears lists the company's fiscal years, latest first, each with its
// latest closing.
func (s *Server) fiscalYears(r *http.Request, company backoffice.ID) ([]fiscalYearOut, error) {
	years, err := s.Ledger.FiscalYears(r.Context(), company)
	if err != nil {
		return nil, err
	}
	closings, err := s.Ledger.YearClosings(r.Context(), company)
	if err != nil {
		return nil, err
	}
	latest := map[int]ledger.YearClosing{}
	for _, c := range closings { // oldest first: the last one of a year wins
		latest[c.Year] = c
	}
	today := s.today()
	out := make([]fiscalYearOut, 0, len(years))
	for i := len(years) - 1; i >= 0; i-- {
		y := years[i]
		fy := fiscalYearOut{Year: y.Year, Start: y.Start, End: y.End, State: "open", Ended: y.End.Before(today)}
		if c, ok := latest[y.Year]; ok {
			fy.Closing, fy.State = toYearClosingOut(c), "closed"
			if c.ReopenedAt != nil {
				fy.State = "reopened"
			}
		}
		out = append(out, fy)
	}
	return out, nil
}

func (s *Server) apiFiscalYears(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	years, err := s.fiscalYears(r, company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[fiscalYearOut]{Items: years})
	return nil
}

// pathYear reads the {year} path value.
func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, backoffice.Errorf(backoffice.ENotFound, "fiscal year %q not found", r.PathValue("year"))
	}
	return y, nil
}

// apiYearEnd closes (reopen false) or reopens a fiscal year.
func (s *Server) apiYearEnd(reopen bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, err := s.books(r)
		if err != nil {
			return err
		}
		year, err := pathYear(r)
		if err != nil {
			return err
		}
		var in yearReasonIn
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		c, err := s.yearEnd(r, company, year, strings.TrimSpace(in.Reason), reopen)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toYearClosingOut(c))
		return nil
	}
}

func (s *Server) yearEnd(r *http.Request, company backoffice.ID, year int, reason string, reopen bool) (ledger.YearClosing, error) {
	if reopen {
		return s.Ledger.ReopenYear(r.Context(), company, year, reason)
	}
	return s.Ledger.CloseYear(r.Context(), company, year, reason)
}
