package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

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
