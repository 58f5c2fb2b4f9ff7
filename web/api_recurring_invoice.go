package web

import (
	"net/http"

	"backoffice"
	"backoffice/invoice"
)

// recurringRunDueIn is the body of run-due: generate the periods up to this day
// (today when left out).
type recurringRunDueIn struct {
	UpTo backoffice.Date `json:"up_to,omitzero"`
}

// recurringInvoiceOf reads the {id} template of the caller's company.
func (s *Server) recurringInvoiceOf(r *http.Request) (backoffice.ID, invoice.RecurringInvoice, error) {
	company, err := s.invoicing(r)
	if err != nil {
		return 0, invoice.RecurringInvoice{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, invoice.RecurringInvoice{}, err
	}
	t, err := s.Invoice.GetRecurring(r.Context(), company, id)
	return company, t, err
}

// recurringInvoiceExists checks that {id} is a template of the caller's company.
func (s *Server) recurringInvoiceExists(r *http.Request) error {
	_, _, err := s.recurringInvoiceOf(r)
	return err
}

func (s *Server) apiListRecurringInvoices(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	list, err := s.Invoice.ListRecurring(r.Context(), company, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.RecurringInvoice]{Items: list})
	return nil
}

func (s *Server) apiCreateRecurringInvoice(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	in := invoice.RecurringInput{Active: true}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.Invoice.CreateRecurring(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/recurring-invoices/"+t.ID.String())
	writeVersioned(w, http.StatusCreated, t.Version, t)
	return nil
}

func (s *Server) apiGetRecurringInvoice(w http.ResponseWriter, r *http.Request) error {
	_, t, err := s.recurringInvoiceOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, t.Version, t)
	return nil
}

// apiUpdateRecurringInvoice applies the fields the body names; the
// invoice is replaced whole when given.
func (s *Server) apiUpdateRecurringInvoice(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurringInvoiceOf(r)
	if err != nil {
		return err
	}
	in := t.RecurringInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, t.Version)
	if err != nil {
		return err
	}
	t, err = s.Invoice.UpdateRecurring(r.Context(), company, t.ID, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, t.Version, t)
	return nil
}

func (s *Server) apiDeleteRecurringInvoice(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurringInvoiceOf(r)
	if err != nil {
		return err
	}
	if err := s.Invoice.DeleteRecurring(r.Context(), company, t.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiRunDueRecurringInvoices(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in recurringRunDueIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.UpTo.IsZero() {
		in.UpTo = backoffice.DateOf(s.now())
	}
	rep, err := s.Invoice.RunDue(r.Context(), company, in.UpTo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
