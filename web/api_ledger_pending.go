package web

import (
	"net/http"
	"strings"
	"time"

	"backoffice"
)

// pendingIn is an entry posted in two phases: the entry as POST
// /api/v1/entries takes it, and an optional timeout after which it voids
// itself.
type pendingIn struct {
	entryIn
	TimeoutSeconds int64 `json:"timeout_seconds,omitempty"`
}

// maxPendingTimeout bounds a pending entry's life: a reservation older than
// a year is a forgotten one.
const maxPendingTimeout = 366 * 24 * time.Hour

// apiPostPending reserves an entry against balance limits and shows it as
// pending, without a number and without moving balances; POST
// /entries/{id}/post-pending posts it, /void cancels it.
func (s *Server) apiPostPending(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in pendingIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v := backoffice.Validation{}
	ne, err := s.newEntryReader(r, company).read(in.entryIn, v, "")
	if err != nil {
		return err
	}
	timeout := time.Duration(in.TimeoutSeconds) * time.Second
	v.Check(in.TimeoutSeconds >= 0 && timeout <= maxPendingTimeout, "timeout_seconds", "must be 0 (no timeout) up to 31622400 (366 days)")
	if err := v.Err("entry"); err != nil {
		return err
	}
	if ne.IdempotencyKey == "" {
		ne.IdempotencyKey = r.Header.Get("Idempotency-Key")
	}
	e, err := s.Ledger.PostPending(r.Context(), company, ne, timeout)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusCreated, e)
	return nil
}

// apiPostPendingEntry is the second phase: the pending entry gets its
// number and moves the balances.
func (s *Server) apiPostPendingEntry(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	posted, err := s.Ledger.PostPendingEntry(r.Context(), company, e.ID)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusOK, posted)
	return nil
}

// apiVoidPending cancels a pending entry (reason required) and releases
// its reservation.
func (s *Server) apiVoidPending(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	var in reasonIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.Ledger.VoidPending(r.Context(), company, e.ID, strings.TrimSpace(in.Reason)); err != nil {
		return err
	}
	voided, err := s.Ledger.GetEntry(r.Context(), company, e.ID)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusOK, voided)
	return nil
}
