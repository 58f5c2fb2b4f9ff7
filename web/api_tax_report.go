package web

import (
	"net/http"

	"backoffice"
	"backoffice/invoice"
)

type taxReportOut struct {
	From       backoffice.Date        `json:"from"`
	To         backoffice.Date        `json:"to"`
	Currency   backoffice.Currency    `json:"currency"`
	Boxes      []taxBoxOut            `json:"boxes"`
	Codes      []taxCodeOut           `json:"codes"`
	Payable    string                 `json:"payable"` // output VAT − input VAT
	Settlement *invoice.TaxSettlement `json:"settlement,omitempty"`
}

type taxBoxOut struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Amount string `json:"amount"`
}

type taxCodeOut struct {
	TaxCode       string          `json:"tax_code"`
	Type          invoice.TaxType `json:"type"`
	SalesBase     string          `json:"sales_base"`
	SalesTax      string          `json:"sales_tax"`
	PurchasesBase string          `json:"purchases_base"`
	PurchasesTax  string          `json:"purchases_tax"`
	Documents     int             `json:"documents"`
}

type taxDocumentOut struct {
	DocumentID backoffice.ID   `json:"document_id"`
	Number     string          `json:"number"`
	Kind       invoice.Kind    `json:"kind"`
	Date       backoffice.Date `json:"date"`
	Party      string          `json:"party"`
	TaxCode    string          `json:"tax_code"`
	Base       string          `json:"base"`
	Tax        string          `json:"tax"`
}

type taxPeriodIn struct {
	From backoffice.Date `json:"from"`
	To   backoffice.Date `json:"to"`
}

// taxPeriod reads ?from=&to=; without them, the previous calendar month.
func (s *Server) taxPeriod(r *http.Request) (backoffice.Date, backoffice.Date, error) {
	q := r.URL.Query()
	from, err := dateParam(q, "from")
	if err != nil {
		return from, from, err
	}
	to, err := dateParam(q, "to")
	if err != nil {
		return from, to, err
	}
	if from.IsZero() && to.IsZero() {
		first := backoffice.NewDate(s.today().Year, s.today().Month, 1)
		from, to = first.AddMonths(-1), first.AddDays(-1)
	}
	return from, to, nil
}

func toTaxReportOut(rep invoice.TaxReport) taxReportOut {
	c := rep.Currency
	out := taxReportOut{From: rep.From, To: rep.To, Currency: c, Payable: decimal(rep.Payable, c), Settlement: rep.Settlement,
		Boxes: make([]taxBoxOut, 0, len(rep.Boxes)), Codes: make([]taxCodeOut, 0, len(rep.Codes))}
	for _, b := range rep.Boxes {
		out.Boxes = append(out.Boxes, taxBoxOut{Code: b.Code, Name: b.Name, Amount: decimal(b.Amount, c)})
	}
	for _, a := range rep.Codes {
		out.Codes = append(out.Codes, taxCodeOut{TaxCode: a.TaxCode, Type: a.Type, SalesBase: decimal(a.SalesBase, c), SalesTax: decimal(a.SalesTax, c),
			PurchasesBase: decimal(a.PurchasesBase, c), PurchasesTax: decimal(a.PurchasesTax, c), Documents: a.Documents})
	}
	return out
}

// taxReport computes the report of the requested period.
func (s *Server) taxReport(r *http.Request) (taxReportOut, error) {
	company, err := requireCompany(r)
	if err != nil {
		return taxReportOut{}, err
	}
	from, to, err := s.taxPeriod(r)
	if err != nil {
		return taxReportOut{}, err
	}
	rep, err := s.Invoice.TaxReport(r.Context(), company, from, to)
	if err != nil {
		return taxReportOut{}, err
	}
	return toTaxReportOut(rep), nil
}

func (s *Server) apiTaxReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.taxReport(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		rows := make([][]string, 0, len(rep.Boxes))
		for _, b := range rep.Boxes {
			rows = append(rows, []string{b.Code, b.Name, b.Amount})
		}
		return writeCSV(w, "tax-report-"+rep.From.String()+"-"+rep.To.String()+".csv", []string{"box", "name", "amount"}, rows)
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// taxDocuments lists the documents behind a tax code's amounts.
func (s *Server) taxDocuments(r *http.Request) ([]taxDocumentOut, error) {
	company, err := requireCompany(r)
	if err != nil {
		return nil, err
	}
	from, to, err := s.taxPeriod(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	side := q.Get("side")
	if side != "" && side != invoice.SideSales && side != invoice.SidePurchases {
		return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: "side must be sales or purchases", Fields: map[string]string{"side": "must be sales or purchases"}}
	}
	docs, err := s.Invoice.TaxDocuments(r.Context(), company, from, to, q.Get("tax_code"), side)
	if err != nil {
		return nil, err
	}
	c := baseCurrency(r)
	out := make([]taxDocumentOut, 0, len(docs))
	for _, d := range docs {
		out = append(out, taxDocumentOut{DocumentID: d.DocumentID, Number: d.Number, Kind: d.Kind, Date: d.Date, Party: d.PartyName, TaxCode: d.TaxCode,
			Base: decimal(d.Base, c), Tax: decimal(d.Tax, c)})
	}
	return out, nil
}

func (s *Server) apiTaxDocuments(w http.ResponseWriter, r *http.Request) error {
	docs, err := s.taxDocuments(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[taxDocumentOut]{Items: docs})
	return nil
}

func (s *Server) apiSettleTax(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	var in taxPeriodIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	st, err := s.Invoice.SettleTax(r.Context(), company, in.From, in.To)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, st)
	return nil
}

func (s *Server) apiTaxBoxes(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	boxes, err := s.Invoice.TaxBoxes(r.Context(), company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.TaxBox]{Items: boxes})
	return nil
}

func (s *Server) apiSetTaxBoxes(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	var in listOf[invoice.TaxBox]
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	boxes, err := s.Invoice.SetTaxBoxes(r.Context(), company, in.Items)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.TaxBox]{Items: boxes})
	return nil
}
