package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/invoice"
)

// apiEInvoice answers a posted invoice or credit note as an e-invoice:
// ?format=ubl (default) or cii. The native EN 16931 and Peppol validation
// of what was written travels in headers: Backoffice-EInvoice-Valid (true
// or false) and Backoffice-EInvoice-Findings (rule ids, fatal first).
func (s *Server) apiEInvoice(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	format := strings.ToLower(r.URL.Query().Get("format"))
	if format == "" {
		format = invoice.FormatUBL
	}
	var b bytes.Buffer
	rep, err := s.Invoice.ExportEInvoice(r.Context(), company, id, format, &b)
	if err != nil {
		return err
	}
	doc, err := s.Invoice.Get(r.Context(), company, id)
	if err != nil {
		return err
	}
	var fatal, warn []string
	for _, f := range rep.Errors {
		if f.Flag == "fatal" {
			fatal = append(fatal, f.Rule)
		} else {
			warn = append(warn, f.Rule)
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+doc.Number+"-"+format+`.xml"`)
	w.Header().Set("Backoffice-EInvoice-Valid", strconv.FormatBool(rep.Valid))
	if all := append(fatal, warn...); len(all) > 0 {
		w.Header().Set("Backoffice-EInvoice-Findings", strings.Join(all, ","))
	}
	_, err = w.Write(b.Bytes())
	return err
}

// einvoiceImportOut is the answer of an e-invoice upload: one result per
// file, in the order sent.
type einvoiceImportOut struct {
	Files []einvoiceFileOut `json:"files"`
}

type einvoiceFileOut struct {
	FileName string                  `json:"file_name"`
	Imported *invoice.EInvoiceImport `json:"imported,omitempty"`
	Due      string                  `json:"amount_due,omitempty"` // the draft's amount due, a decimal in its currency
	Error    string                  `json:"error,omitempty"`      // why the file was not imported
}

// importEInvoices imports each uploaded file on its own, so a file that
// fails does not keep the others out; only an internal error stops.
func (s *Server) importEInvoices(r *http.Request) (einvoiceImportOut, error) {
	company, err := requireCompany(r)
	if err != nil {
		return einvoiceImportOut{}, err
	}
	files, err := uploadedFiles(r, "e-invoice files (UBL or CII XML)")
	if err != nil {
		return einvoiceImportOut{}, err
	}
	out := einvoiceImportOut{Files: make([]einvoiceFileOut, 0, len(files))}
	for _, f := range files {
		res, err := s.Invoice.ImportEInvoice(r.Context(), company, f.data)
		fo := einvoiceFileOut{FileName: f.name}
		switch {
		case err == nil:
			fo.Imported, fo.Due = &res, decimal(res.Document.Totals.Payable, res.Document.Currency)
		case backoffice.ErrorCode(err) == backoffice.EInternal:
			return out, err
		default:
			fo.Error = backoffice.ErrorMessage(err)
		}
		out.Files = append(out.Files, fo)
	}
	return out, nil
}

func (s *Server) apiImportEInvoices(w http.ResponseWriter, r *http.Request) error {
	out, err := s.importEInvoices(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
