package web

import (
	"net/http"

	"backoffice"
	"backoffice/party"
)

// partyDuplicatesPage lists groups of parties that may be the same, each
// with a form to merge one into another.
type partyDuplicatesPage struct {
	Groups   []party.DuplicateGroup
	CanMerge bool
	Error    string
}

func (s *Server) partyDuplicates(w http.ResponseWriter, r *http.Request) error {
	return s.partyDuplicatesRender(w, r, http.StatusOK, "")
}

func (s *Server) partyDuplicatesRender(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	groups, err := s.Party.Duplicates(r.Context(), company)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "party_duplicates", "Possible duplicates",
		partyDuplicatesPage{Groups: groups, CanMerge: principal(r).Can("party.manage"), Error: msg})
}

// partyMerge merges the posted merge_id into the keep_id survivor; the
// reason is required, and a refusal is shown above the groups.
func (s *Server) partyMerge(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	keepID, _ := backoffice.ParseID(r.PostForm.Get("keep_id"))
	mergeID, _ := backoffice.ParseID(r.PostForm.Get("merge_id"))
	res, err := s.Party.Merge(r.Context(), company, keepID, mergeID, r.PostForm.Get("reason"))
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil && backoffice.ErrorCode(err) != backoffice.ENotFound {
			return ferr
		}
		msg := backoffice.ErrorMessage(err)
		if fe != nil && fe.Fields["reason"] != "" {
			msg = "Give a reason for the merge: it is kept in the change log."
		}
		return s.partyDuplicatesRender(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), msg)
	}
	return redirectFlash(w, r, "/parties/"+keepID.String(), res.Merged.Name()+" was merged into this party.")
}
