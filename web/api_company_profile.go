package web

import (
	"io"
	"net/http"

	"backoffice"
	"backoffice/party"
)

// profileIn is the body of PUT /api/v1/company-profile (If-Match: its ETag;
// without one the last write wins).
type profileIn = party.ProfileInput

func (s *Server) apiGetProfile(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	p, err := s.Party.Profile(r.Context(), company)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *Server) apiSetProfile(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	var in profileIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	cur, err := s.Party.Profile(r.Context(), company)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, cur.Version)
	if err != nil {
		return err
	}
	p, err := s.Party.SetProfile(r.Context(), company, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

// apiSetLogo takes the logo as the raw body (image/png or image/jpeg); an
// empty body removes it.
func (s *Server) apiSetLogo(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, party.MaxLogoBytes+1))
	if err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the logo could not be read: %v", err)
	}
	p, err := s.Party.SetLogo(r.Context(), company, data)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

// logo serves the company's logo to the API and the pages.
func (s *Server) logo(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	kind, data, err := s.Party.Logo(r.Context(), company)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Cache-Control", "private, max-age=60")
	_, err = w.Write(data)
	return err
}
