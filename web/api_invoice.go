package web

import (
	"net/http"

	"backoffice"
	"backoffice/invoice"
)

// invoicing returns the caller's company for an invoicing request, or an
// error when the caller has none or the server runs without invoicing.
func (s *Server) invoicing(r *http.Request) (backoffice.ID, error) {
	if s.Invoice == nil {
		return 0, backoffice.Errorf(backoffice.EInternal, "this server was started without invoicing")
	}
	return requireCompany(r)
}

// documentOf reads the {id} document of the caller's company.
func (s *Server) documentOf(r *http.Request) (backoffice.ID, invoice.Document, error) {
	company, err := s.invoicing(r)
	if err != nil {
		return 0, invoice.Document{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, invoice.Document{}, err
	}
	d, err := s.Invoice.Get(r.Context(), company, id)
	return company, d, err
}

// documentExists checks that {id} is a document of the caller's company.
func (s *Server) documentExists(r *http.Request) error {
	_, _, err := s.documentOf(r)
	return err
}

// documentFilter reads ?kind=&state=&party=&from=&to=&q=&limit=&after=.
func documentFilter(r *http.Request) (invoice.Filter, error) {
	q := r.URL.Query()
	f := invoice.Filter{Kind: invoice.Kind(q.Get("kind")), State: invoice.State(q.Get("state")), Query: q.Get("q")}
	v := backoffice.Validation{}
	var err error
	if f.From, err = dateParam(q, "from"); err != nil {
		addFieldErrors(v, err)
	}
	if f.To, err = dateParam(q, "to"); err != nil {
		addFieldErrors(v, err)
	}
	if p := q.Get("party"); p != "" {
		id, err := backoffice.ParseID(p)
		if err != nil {
			v.Add("party", "must be a party id")
		}
		f.PartyID = id
	}
	if f.Page, err = pageOf(r); err != nil {
		addFieldErrors(v, err)
	}
	return f, v.Err("filter")
}

func (s *Server) apiListDocuments(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f, err := documentFilter(r)
	if err != nil {
		return err
	}
	list, err := s.Invoice.List(r.Context(), company, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.Document]{Items: list.Items, Next: list.Next})
	return nil
}

func (s *Server) apiCreateDocument(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in invoice.Input
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.Invoice.Create(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/invoices/"+d.ID.String())
	writeVersioned(w, http.StatusCreated, d.Version, d)
	return nil
}

// apiPreviewDocument answers what a document would be, totals included,
// without storing it.
func (s *Server) apiPreviewDocument(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in invoice.Input
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.Invoice.Preview(r.Context(), company, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiGetDocument(w http.ResponseWriter, r *http.Request) error {
	_, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, d)
	return nil
}

// apiUpdateDocument applies the fields the body names to a draft; fields it
// leaves out keep their values, lists (lines, allowances, installments) are
// replaced whole.
func (s *Server) apiUpdateDocument(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	in := d.Input()
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, d.Version)
	if err != nil {
		return err
	}
	d, err = s.Invoice.Update(r.Context(), company, d.ID, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, d)
	return nil
}

func (s *Server) apiDeleteDocument(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, d.Version)
	if err != nil {
		return err
	}
	if err := s.Invoice.Delete(r.Context(), company, d.ID, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiPostDocument(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	var in invoice.PostOptions
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		if in.Version, err = ifMatch(r, d.Version); err != nil {
			return err
		}
	}
	d, err = s.Invoice.Post(r.Context(), company, d.ID, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, d)
	return nil
}

func (s *Server) apiCancelDocument(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	var in invoice.CancelInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	credit, err := s.Invoice.Cancel(r.Context(), company, d.ID, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/invoices/"+credit.ID.String())
	writeVersioned(w, http.StatusCreated, credit.Version, credit)
	return nil
}

func (s *Server) apiDocumentDuplicates(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	dups, err := s.Invoice.Duplicates(r.Context(), company, d.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.DuplicateBill]{Items: dups})
	return nil
}

// invoicePostBatchIn names the drafts to post in one transaction.
type invoicePostBatchIn struct {
	IDs []backoffice.ID `json:"ids"`
}

// apiPostDocuments posts several drafts at once, all or nothing.
func (s *Server) apiPostDocuments(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in invoicePostBatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	docs, err := s.Invoice.PostBatch(r.Context(), company, in.IDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.Document]{Items: docs})
	return nil
}
