package web

import (
	"net/http"
)

// Drafts change freely until posted: create, replace (If-Match), post, delete.

func (s *Server) apiCreateDraft(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ne, err := s.readEntry(r, company)
	if err != nil {
		return err
	}
	e, err := s.Ledger.CreateDraft(r.Context(), company, ne)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusCreated, e)
	return nil
}

func (s *Server) apiUpdateDraft(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	ne, err := s.readEntry(r, company)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, e.Version)
	if err != nil {
		return err
	}
	e, err = s.Ledger.UpdateDraft(r.Context(), company, e.ID, version, ne)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusOK, e)
	return nil
}

func (s *Server) apiPostDraft(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, e.Version)
	if err != nil {
		return err
	}
	e, err = s.Ledger.PostDraft(r.Context(), company, e.ID, version)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusOK, e)
	return nil
}

func (s *Server) apiDeleteDraft(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, e.Version)
	if err != nil {
		return err
	}
	if err := s.Ledger.DeleteDraft(r.Context(), company, e.ID, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
