package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/csvio"
	"backoffice/invoice"
)

// taxCodeOf reads the {id} tax code of the caller's company.
func (s *Server) taxCodeOf(r *http.Request) (backoffice.ID, invoice.TaxCode, error) {
	company, err := s.invoicing(r)
	if err != nil {
		return 0, invoice.TaxCode{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, invoice.TaxCode{}, err
	}
	t, err := s.Invoice.GetTaxCode(r.Context(), company, id)
	return company, t, err
}

func (s *Server) taxCodeExists(r *http.Request) error {
	_, _, err := s.taxCodeOf(r)
	return err
}

func (s *Server) apiListTaxCodes(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	list, err := s.Invoice.ListTaxCodes(r.Context(), company, r.URL.Query().Get("inactive") == "true")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.TaxCode]{Items: list})
	return nil
}

func (s *Server) apiCreateTaxCode(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	in := invoice.TaxCodeInput{Active: true}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.Invoice.CreateTaxCode(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/tax-codes/"+t.ID.String())
	writeVersioned(w, http.StatusCreated, t.Version, t)
	return nil
}

func (s *Server) apiGetTaxCode(w http.ResponseWriter, r *http.Request) error {
	_, t, err := s.taxCodeOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, t.Version, t)
	return nil
}

// apiUpdateTaxCode applies the fields the body names; the code itself stays.
func (s *Server) apiUpdateTaxCode(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.taxCodeOf(r)
	if err != nil {
		return err
	}
	in := t.TaxCodeInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, t.Version)
	if err != nil {
		return err
	}
	t, err = s.Invoice.UpdateTaxCode(r.Context(), company, t.ID, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, t.Version, t)
	return nil
}

func (s *Server) apiGetInvoiceSettings(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	st, err := s.Invoice.GetSettings(r.Context(), company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiUpdateInvoiceSettings(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	st, err := s.Invoice.GetSettings(r.Context(), company)
	if err != nil {
		return err
	}
	if err := decodeJSON(r, &st); err != nil {
		return err
	}
	st, err = s.Invoice.SetRounding(r.Context(), company, st.Rounding)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// productOf reads the {id} product of the caller's company.
func (s *Server) productOf(r *http.Request) (backoffice.ID, invoice.Product, error) {
	company, err := s.invoicing(r)
	if err != nil {
		return 0, invoice.Product{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, invoice.Product{}, err
	}
	p, err := s.Invoice.GetProduct(r.Context(), company, id)
	return company, p, err
}

func (s *Server) productExists(r *http.Request) error {
	_, _, err := s.productOf(r)
	return err
}

func (s *Server) apiListProducts(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := s.Invoice.ListProducts(r.Context(), company, invoice.ProductFilter{Query: q.Get("q"), WithInactive: q.Get("inactive") == "true", Page: page})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.Product]{Items: list.Items, Next: list.Next})
	return nil
}

func (s *Server) apiCreateProduct(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	in := invoice.ProductInput{Active: true}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.Invoice.CreateProduct(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/products/"+p.ID.String())
	writeVersioned(w, http.StatusCreated, p.Version, p)
	return nil
}

func (s *Server) apiGetProduct(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.productOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

// apiUpdateProduct applies the fields the body names to the product.
func (s *Server) apiUpdateProduct(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.productOf(r)
	if err != nil {
		return err
	}
	in := p.ProductInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, p.Version)
	if err != nil {
		return err
	}
	p, err = s.Invoice.UpdateProduct(r.Context(), company, p.ID, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

// apiDefaultTaxCodes creates the default tax codes the company lacks.
func (s *Server) apiDefaultTaxCodes(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	if err := s.Invoice.SetUpCompany(r.Context(), company); err != nil {
		return err
	}
	return s.apiListTaxCodes(w, r)
}

// apiImportProducts imports products from a CSV request body into the
// current company, all or nothing. Problems come back as 422 with every bad row.
func (s *Server) apiImportProducts(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/octet-stream") {
		return backoffice.Errorf(backoffice.EUnsupported, "send the file as text/csv (got %q)", ct)
	}
	rep, err := s.Invoice.ImportProducts(r.Context(), r.Body, company, csvio.Options{DryRun: r.URL.Query().Get("dry_run") == "true"})
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

// apiExportProducts writes the current company's products in the import format.
func (s *Server) apiExportProducts(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="products.csv"`)
	return s.Invoice.ExportProducts(r.Context(), w, company)
}
