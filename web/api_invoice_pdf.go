package web

import (
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/invoice"
)

// apiInvoicePDF answers an invoice or credit note printed in the
// customer's language. A posted document's PDF is the one stored when it
// was first printed (its SHA-256 in the Backoffice-SHA256 header); a
// draft's carries a watermark and is not stored.
func (s *Server) apiInvoicePDF(w http.ResponseWriter, r *http.Request) error {
	return s.printedDocument(w, r, invoice.FormatPDF)
}

// apiInvoiceFacturX answers the PDF with the document's EN 16931 CII
// embedded as factur-x.xml (Factur-X / ZUGFeRD).
func (s *Server) apiInvoiceFacturX(w http.ResponseWriter, r *http.Request) error {
	return s.printedDocument(w, r, invoice.FormatFacturX)
}

func (s *Server) printedDocument(w http.ResponseWriter, r *http.Request, format string) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var data []byte
	if format == invoice.FormatFacturX {
		data, err = s.Invoice.FacturX(r.Context(), company, id)
	} else {
		data, err = s.Invoice.PDF(r.Context(), company, id)
	}
	if err != nil {
		return err
	}
	d, err := s.Invoice.Get(r.Context(), company, id)
	if err != nil {
		return err
	}
	name := d.Number
	if name == "" {
		name = "draft-" + d.ID.String()
	}
	if format == invoice.FormatFacturX {
		name += "-facturx"
	}
	if sum, err := s.Invoice.PrintedHash(r.Context(), company, id, format); err == nil {
		w.Header().Set("Backoffice-SHA256", sum)
	}
	return writePDF(w, name+".pdf", data)
}

// apiPartyStatement answers a customer's statement of account at ?date=
// (today by default): open items with days overdue, ageing and the
// month's movements, in the customer's language.
func (s *Server) apiPartyStatement(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	asOf, err := dateParam(r.URL.Query(), "date")
	if err != nil {
		return err
	}
	data, err := s.Invoice.StatementPDF(r.Context(), company, id, asOf)
	if err != nil {
		return err
	}
	if asOf.IsZero() {
		asOf = backoffice.DateOf(s.now())
	}
	return writePDF(w, "statement-"+id.String()+"-"+asOf.String()+".pdf", data)
}

// writePDF sends a PDF as a download named name.
func writePDF(w http.ResponseWriter, name string, data []byte) error {
	name = strings.NewReplacer(`"`, "", "\\", "", "/", "-").Replace(name)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, err := w.Write(data)
	return err
}
