package web

import (
	"fmt"
	"net/http"

	"backoffice"
	"backoffice/invoice"
)

// dunningHoldIn is the body of a hold-flag change.
type dunningHoldIn struct {
	Held   bool   `json:"held"`
	Reason string `json:"reason"`
}

func (s *Server) apiDunningLevels(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	levels, err := s.Invoice.DunningLevels(r.Context(), company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.DunningLevel]{Items: levels})
	return nil
}

func (s *Server) apiSetDunningLevels(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in listOf[invoice.DunningLevel]
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	levels, err := s.Invoice.SetDunningLevels(r.Context(), company, in.Items)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.DunningLevel]{Items: levels})
	return nil
}

// apiDunningRuns answers the preview of a run on ?date= (today by default)
// with the runs already posted.
func (s *Server) apiDunningRuns(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	date, err := dateParam(r.URL.Query(), "date")
	if err != nil {
		return err
	}
	if date.IsZero() {
		date = backoffice.DateOf(s.now())
	}
	p, err := s.Invoice.PreviewDunning(r.Context(), company, date)
	if err != nil {
		return err
	}
	runs, err := s.Invoice.ListDunningRuns(r.Context(), company, 100)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dunningRunsOut{Preview: p, Runs: runs})
	return nil
}

// dunningRunsOut is the preview of the next run and the past runs.
type dunningRunsOut struct {
	Preview invoice.DunningPreview `json:"preview"`
	Runs    []invoice.DunningRun   `json:"runs"`
}

func (s *Server) apiPostDunningRun(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in invoice.DunningRunInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	run, err := s.Invoice.PostDunning(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/dunning/runs/"+run.ID.String())
	writeJSON(w, http.StatusCreated, run)
	return nil
}

func (s *Server) apiGetDunningRun(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	run, err := s.Invoice.GetDunningRun(r.Context(), company, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, run)
	return nil
}

// apiDunningLetters answers the letter a run sent to ?party= (needed when
// the run wrote more than one).
func (s *Server) apiDunningLetters(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var partyID backoffice.ID
	if p := r.URL.Query().Get("party"); p != "" {
		if partyID, err = backoffice.ParseID(p); err != nil {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "party is not an id", Fields: map[string]string{"party": "must be a party id"}}
		}
	}
	b, err := s.Invoice.DunningLetterPDF(r.Context(), company, id, partyID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dunning-%d-%d.pdf"`, id, partyID))
	_, err = w.Write(b)
	return err
}

func (s *Server) apiPartyDunningHold(w http.ResponseWriter, r *http.Request) error {
	return s.setDunningHold(w, r, invoice.HoldParty)
}

func (s *Server) apiInvoiceDunningHold(w http.ResponseWriter, r *http.Request) error {
	return s.setDunningHold(w, r, invoice.HoldInvoice)
}

// setDunningHold sets or clears the hold flag of the {id} party or invoice.
func (s *Server) setDunningHold(w http.ResponseWriter, r *http.Request, target invoice.DunningHoldTarget) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in dunningHoldIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	h, err := s.Invoice.SetDunningHold(r.Context(), company, invoice.DunningHold{Target: target, TargetID: id, Held: in.Held, Reason: in.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}
