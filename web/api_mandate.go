package web

import (
	"net/http"

	"backoffice"
	"backoffice/party"
)

// mandateOf reads the {mid} mandate of the {id} party of the caller's company.
func (s *Server) mandateOf(r *http.Request) (party.Mandate, error) {
	company, p, err := s.partyOf(r)
	if err != nil {
		return party.Mandate{}, err
	}
	id, err := pathID(r, "mid")
	if err != nil {
		return party.Mandate{}, err
	}
	m, err := s.Party.GetMandate(r.Context(), company, id)
	if err == nil && m.PartyID != p.ID {
		return party.Mandate{}, backoffice.Errorf(backoffice.ENotFound, "mandate %s not found on this party", id)
	}
	return m, err
}

func (s *Server) apiListMandates(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	ms, err := s.Party.Mandates(r.Context(), company, p.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[party.Mandate]{Items: ms})
	return nil
}

func (s *Server) apiCreateMandate(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	var in party.MandateInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.Party.CreateMandate(r.Context(), company, p.ID, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/parties/"+p.ID.String()+"/mandates/"+m.ID.String())
	writeVersioned(w, http.StatusCreated, m.Version, m)
	return nil
}

func (s *Server) apiGetMandate(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mandateOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, m.Version, m)
	return nil
}

// apiUpdateMandate replaces a mandate's fields (If-Match: its ETag).
func (s *Server) apiUpdateMandate(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mandateOf(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, m.Version)
	if err != nil {
		return err
	}
	in := m.MandateInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err = s.Party.UpdateMandate(r.Context(), m.CompanyID, m.ID, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, m.Version, m)
	return nil
}

func (s *Server) apiRevokeMandate(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mandateOf(r)
	if err != nil {
		return err
	}
	var in reasonIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err = s.Party.RevokeMandate(r.Context(), m.CompanyID, m.ID, in.Reason)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, m.Version, m)
	return nil
}
