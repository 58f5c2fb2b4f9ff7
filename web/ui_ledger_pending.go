package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// pendingRow is a pending (two-phase) entry as the entries page lists it,
// with its Post and Void actions.
type pendingRow struct {
	ID                                  backoffice.ID
	Date, Journal, Reference, Narration string
	Amount, Expires                     string
}

// maxPendingShown bounds the pending entries above the list; the state
// chip "Pending" lists them all.
const maxPendingShown = 20

// pendingRows reads the oldest pending entries for the entries page.
func (s *Server) pendingRows(r *http.Request, company backoffice.ID) ([]pendingRow, bool, error) {
	list, err := s.Ledger.ListEntries(r.Context(), company, ledger.EntryFilter{State: ledger.Pending, Page: backoffice.Page{Limit: maxPendingShown}})
	if err != nil {
		return nil, false, err
	}
	base := baseCurrency(r)
	out := make([]pendingRow, 0, len(list.Items))
	for _, e := range list.Items {
		row := pendingRow{ID: e.ID, Date: e.Date.String(), Journal: e.Journal, Reference: e.Reference, Narration: e.Narration,
			Amount: backoffice.NewMoney(e.Amount, base).String(), Expires: "no timeout"}
		if e.ExpiresAt != nil {
			row.Expires = e.ExpiresAt.UTC().Format("2006-01-02 15:04")
		}
		out = append(out, row)
	}
	return out, list.Next != "", nil
}

// ledgerPendingPost posts a pending entry from the entries page.
func (s *Server) ledgerPendingPost(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	posted, err := s.Ledger.PostPendingEntry(r.Context(), company, e.ID)
	if err != nil {
		return s.pendingFailure(w, r, err)
	}
	msg := "Posted as " + posted.Number + "."
	if len(posted.Warnings) > 0 {
		msg += " " + strings.Join(posted.Warnings, "; ")
	}
	return redirectFlash(w, r, "/ledger/entries/"+posted.ID.String(), msg)
}

// ledgerPendingVoid voids a pending entry with the reason typed beside the button.
func (s *Server) ledgerPendingVoid(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	if err := s.Ledger.VoidPending(r.Context(), company, e.ID, strings.TrimSpace(r.PostForm.Get("reason"))); err != nil {
		return s.pendingFailure(w, r, err)
	}
	return redirectFlash(w, r, "/ledger/entries?state=pending", "Pending entry "+e.ID.String()+" voided: its reservation is released.")
}

// pendingFailure shows why a pending entry could not be posted or voided
// (a closed period, a broken limit, an expired timeout, a missing reason)
// on the pending list, where the user can act on it.
func (s *Server) pendingFailure(w http.ResponseWriter, r *http.Request, err error) error {
	switch backoffice.ErrorCode(err) {
	case backoffice.EInvalid, backoffice.EConflict, backoffice.EPeriodClosed, backoffice.ELimitExceeded:
		msg := backoffice.ErrorMessage(err)
		if f := joinFields(err); f != "" && !strings.Contains(msg, f) {
			msg += ": " + f
		}
		return redirectFlash(w, r, "/ledger/entries?state=pending", msg)
	}
	return err
}
