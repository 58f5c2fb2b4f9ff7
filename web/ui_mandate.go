package web

import (
	"net/http"
	"net/url"

	"backoffice"
	"backoffice/party"
)

// mandatesView is the data of a customer's mandates page.
type mandatesView struct {
	Party     party.Party
	Mandates  []party.Mandate
	Values    url.Values
	Errors    *formErrors
	CanManage bool
	History   []historyItem
}

// mandatesShow lists a customer's SEPA mandates with a form to add one.
func (s *Server) mandatesShow(w http.ResponseWriter, r *http.Request) error {
	return s.mandatesPage(w, r, http.StatusOK, url.Values{"scheme": {"CORE"}, "signed_on": {s.today().String()}}, nil)
}

func (s *Server) mandatesPage(w http.ResponseWriter, r *http.Request, status int, vals url.Values, fe *formErrors) error {
	company, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	ms, err := s.Party.Mandates(r.Context(), company, p.ID)
	if err != nil {
		return err
	}
	v := mandatesView{Party: p, Mandates: ms, Values: vals, Errors: fe, CanManage: principal(r).Can("party.manage")}
	for _, m := range ms {
		recs, err := s.history(r, "mandate", m.ID.String())
		if err != nil {
			return err
		}
		v.History = append(v.History, historyOf(recs)...)
	}
	return s.render(w, r, status, "mandate", "Mandates of "+p.Name(), v)
}

// mandateCreate adds a mandate from the form.
func (s *Server) mandateCreate(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	in := party.MandateInput{Reference: vals.Get("reference"), IBAN: vals.Get("iban"), BIC: vals.Get("bic"), Scheme: vals.Get("scheme"),
		OneOff: vals.Get("one_off") != ""}
	var bad map[string]string
	if in.SignedOn, err = backoffice.ParseDate(vals.Get("signed_on")); err != nil && vals.Get("signed_on") != "" {
		bad = map[string]string{"signed_on": "must be a date, YYYY-MM-DD"}
	}
	var m party.Mandate
	if bad == nil {
		m, err = s.Party.CreateMandate(r.Context(), company, p.ID, in)
	}
	if bad != nil || err != nil {
		fe := &formErrors{Message: "Please correct the marked fields.", Fields: bad}
		if bad == nil {
			if fe, err = formFailure(err); err != nil {
				return err
			}
		}
		return s.mandatesPage(w, r, http.StatusUnprocessableEntity, vals, fe)
	}
	return redirectFlash(w, r, "/parties/"+p.ID.String()+"/mandates", "Mandate "+m.Reference+" added: the next collection is "+m.Sequence+".")
}

// mandateRevoke revokes the {mid} mandate with the reason given.
func (s *Server) mandateRevoke(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mandateOf(r)
	if err != nil {
		return err
	}
	if _, err := s.Party.RevokeMandate(r.Context(), m.CompanyID, m.ID, r.PostForm.Get("reason")); err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		fe.Message = "Mandate " + m.Reference + " was not revoked: " + fe.Message
		return s.mandatesPage(w, r, http.StatusUnprocessableEntity, url.Values{"scheme": {"CORE"}}, fe)
	}
	return redirectFlash(w, r, "/parties/"+m.PartyID.String()+"/mandates", "Mandate "+m.Reference+" revoked: nothing more is collected under it.")
}
