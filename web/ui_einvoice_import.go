package web

import (
	"net/http"

	"backoffice"
)

// einvoiceImportPage is the e-invoice upload form and, after an upload, what
// became of every file.
type einvoiceImportPage struct {
	Error  string
	Report *einvoiceImportOut
	Done   int
}

func (s *Server) einvoiceImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "einvoice_import", "Import e-invoices", einvoiceImportPage{})
}

// einvoiceImport imports every uploaded e-invoice on its own as a draft
// bill and shows each result.
func (s *Server) einvoiceImport(w http.ResponseWriter, r *http.Request) error {
	out, err := s.importEInvoices(r)
	if err != nil {
		if code := backoffice.ErrorCode(err); code == backoffice.EInvalid || code == backoffice.ETooLarge {
			return s.render(w, r, backoffice.HTTPStatus(code), "einvoice_import", "Import e-invoices", einvoiceImportPage{Error: backoffice.ErrorMessage(err)})
		}
		return err
	}
	pg := einvoiceImportPage{Report: &out}
	for _, f := range out.Files {
		if f.Imported != nil {
			pg.Done++
		}
	}
	return s.render(w, r, http.StatusOK, "einvoice_import", "Import e-invoices", pg)
}
