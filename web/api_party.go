package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/csvio"
	"backoffice/party"
)

// partyCreatedOut is a new party with the parties it may duplicate: the
// party is created all the same, and the caller shows them as a warning.
type partyCreatedOut struct {
	party.Party
	PossibleDuplicates []party.Duplicate `json:"possible_duplicates"`
}

// partyMergeIn names the party merged into the {id} survivor and why.
type partyMergeIn struct {
	MergeID backoffice.ID `json:"merge_id"`
	Reason  string        `json:"reason"`
}

// parties returns the caller's company for a party request, or an error when
// the caller has none or the server runs without the party service.
func (s *Server) parties(r *http.Request) (backoffice.ID, error) {
	if s.Party == nil {
		return 0, backoffice.Errorf(backoffice.EInternal, "this server was started without customers and suppliers")
	}
	return requireCompany(r)
}

// partyOf reads the {id} party of the caller's company.
func (s *Server) partyOf(r *http.Request) (backoffice.ID, party.Party, error) {
	company, err := s.parties(r)
	if err != nil {
		return 0, party.Party{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, party.Party{}, err
	}
	p, err := s.Party.Get(r.Context(), company, id)
	return company, p, err
}

// partyExists checks that {id} is a party of the caller's company.
func (s *Server) partyExists(r *http.Request) error {
	_, _, err := s.partyOf(r)
	return err
}

// partyFilter reads ?q=&kind=&blocked=true into a list filter.
func partyFilter(r *http.Request) party.Filter {
	q := r.URL.Query()
	return party.Filter{Query: q.Get("q"), Kind: party.Kind(q.Get("kind")), WithBlocked: q.Get("blocked") == "true"}
}

func (s *Server) apiListParties(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	list, err := s.Party.List(r.Context(), company, partyFilter(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[party.Party]{Items: list})
	return nil
}

func (s *Server) apiCreateParty(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	var in party.Input
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, dups, err := s.Party.Create(r.Context(), company, in)
	if err != nil {
		return err
	}
	if dups == nil {
		dups = []party.Duplicate{}
	}
	w.Header().Set("Location", "/api/v1/parties/"+p.ID.String())
	writeVersioned(w, http.StatusCreated, p.Version, partyCreatedOut{Party: p, PossibleDuplicates: dups})
	return nil
}

func (s *Server) apiGetParty(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

// apiUpdateParty applies the fields the body names to the party; fields it
// leaves out keep their values. Lists (contacts, bank accounts) are replaced whole.
func (s *Server) apiUpdateParty(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	in := p.Input
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, p.Version)
	if err != nil {
		return err
	}
	p, err = s.Party.Update(r.Context(), company, p.ID, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *Server) apiPartyDuplicates(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	groups, err := s.Party.Duplicates(r.Context(), company)
	if err != nil {
		return err
	}
	if groups == nil {
		groups = []party.DuplicateGroup{}
	}
	writeJSON(w, http.StatusOK, listOf[party.DuplicateGroup]{Items: groups})
	return nil
}

func (s *Server) apiMergeParty(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	var in partyMergeIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.Party.Merge(r.Context(), company, p.ID, in.MergeID, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// apiImportParties imports parties from a CSV request body into the current
// company, all or nothing. Problems come back as 422 with every bad row.
func (s *Server) apiImportParties(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/octet-stream") {
		return backoffice.Errorf(backoffice.EUnsupported, "send the file as text/csv (got %q)", ct)
	}
	rep, err := s.Party.Import(r.Context(), r.Body, company, csvio.Options{DryRun: r.URL.Query().Get("dry_run") == "true"})
	if err != nil && len(rep.Errors) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			csvio.Report
			Code   string `json:"code"`
			Detail string `json:"detail"`
		}{rep, backoffice.EInvalid, backoffice.ErrorMessage(err)})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// apiExportParties writes the current company's parties in the import format.
func (s *Server) apiExportParties(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="parties.csv"`)
	return s.Party.Export(r.Context(), w, company)
}
