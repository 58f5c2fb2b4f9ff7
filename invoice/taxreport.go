package invoice

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Sides of the tax report: what was sold (invoices less credit notes) and
// what was bought (bills less refunds).
const (
	SideSales     = "sales"
	SidePurchases = "purchases"
)

// TaxBox is one box of a tax return: the sum of its terms, each the base
// (taxable amount) or the tax of one tax code on one side, or the amount of
// an earlier box, times its sign.
type TaxBox struct {
	Code  string       `json:"code"`
	Name  string       `json:"name"`
	Terms []TaxBoxTerm `json:"terms"`
}

// TaxBoxTerm adds Sign × one amount to a box: Box (an earlier box's code),
// or Amount ("base" or "tax") of TaxCode on Side.
type TaxBoxTerm struct {
	Box     string `json:"box,omitempty"`
	TaxCode string `json:"tax_code,omitempty"`
	Amount  string `json:"amount,omitempty"`
	Side    string `json:"side,omitempty"`
	Sign    int    `json:"sign"`
}

// DefaultTaxBoxes is a VAT return laid out like most EU returns, on the
// default tax codes: taxable sales and output VAT per rate, zero-rated,
// exempt, intra-community and export sales, input VAT and the VAT payable.
func DefaultTaxBoxes() []TaxBox {
	t := func(code, amount, side string) TaxBoxTerm {
		return TaxBoxTerm{TaxCode: code, Amount: amount, Side: side, Sign: 1}
	}
	return []TaxBox{
		{Code: "1", Name: "Sales at the standard rate, without VAT", Terms: []TaxBoxTerm{t("VAT19", "base", SideSales)}},
		{Code: "2", Name: "Output VAT at the standard rate", Terms: []TaxBoxTerm{t("VAT19", "tax", SideSales)}},
		{Code: "3", Name: "Sales at the reduced rate, without VAT", Terms: []TaxBoxTerm{t("VAT7", "base", SideSales)}},
		{Code: "4", Name: "Output VAT at the reduced rate", Terms: []TaxBoxTerm{t("VAT7", "tax", SideSales)}},
		{Code: "5", Name: "Zero-rated and exempt sales", Terms: []TaxBoxTerm{t("VAT0", "base", SideSales), t("EXEMPT", "base", SideSales)}},
		{Code: "6", Name: "Intra-community supplies", Terms: []TaxBoxTerm{t("IC", "base", SideSales)}},
		{Code: "7", Name: "Exports outside the EU", Terms: []TaxBoxTerm{t("EXPORT", "base", SideSales)}},
		{Code: "8", Name: "Purchases under reverse charge, without VAT", Terms: []TaxBoxTerm{t("RC", "base", SidePurchases)}},
		{Code: "9", Name: "Input VAT", Terms: []TaxBoxTerm{t("VAT19", "tax", SidePurchases), t("VAT7", "tax", SidePurchases)}},
		{Code: "10", Name: "VAT payable (2 + 4 − 9)", Terms: []TaxBoxTerm{{Box: "2", Sign: 1}, {Box: "4", Sign: 1}, {Box: "9", Sign: -1}}},
	}
}

// TaxBoxes returns the company's boxes, the default ones until it sets its own.
func (s *Service) TaxBoxes(ctx context.Context, companyID backoffice.ID) ([]TaxBox, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT code, name, terms FROM invoice_tax_boxes WHERE company_id = ? ORDER BY position`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read tax boxes: %w", err)
	}
	defer rows.Close()
	var out []TaxBox
	for rows.Next() {
		var b TaxBox
		var terms string
		if err := rows.Scan(&b.Code, &b.Name, &terms); err != nil {
			return nil, fmt.Errorf("read tax boxes: %w", err)
		}
		if err := json.Unmarshal([]byte(terms), &b.Terms); err != nil {
			return nil, fmt.Errorf("read tax box %s: %w", b.Code, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return DefaultTaxBoxes(), nil
	}
	return out, nil
}

// SetTaxBoxes replaces the company's boxes, all or nothing. Every tax code
// must be the company's, a box may only add boxes above it, and codes are
// unique.
func (s *Service) SetTaxBoxes(ctx context.Context, companyID backoffice.ID, boxes []TaxBox) ([]TaxBox, error) {
	codes, err := taxCodesByCode(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	v := backoffice.Validation{}
	v.Check(len(boxes) >= 1 && len(boxes) <= 200, "boxes", "give 1 to 200 boxes")
	seen := map[string]bool{}
	for i, b := range boxes {
		f := fmt.Sprintf("boxes[%d].", i)
		b.Code, b.Name = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name)
		boxes[i] = b
		v.Check(b.Code != "" && len(b.Code) <= 20, f+"code", "is required, at most 20 characters")
		v.Check(!seen[b.Code], f+"code", "is used by an earlier box")
		v.Check(b.Name != "" && len(b.Name) <= 200, f+"name", "is required, at most 200 characters")
		v.Check(len(b.Terms) >= 1, f+"terms", "a box adds up at least one amount")
		for j, t := range b.Terms {
			g := fmt.Sprintf("%sterms[%d].", f, j)
			v.Check(t.Sign == 1 || t.Sign == -1, g+"sign", "must be 1 or -1")
			if t.Box != "" {
				v.Check(seen[t.Box], g+"box", "must be the code of a box above this one")
				v.Check(t.TaxCode == "" && t.Amount == "" && t.Side == "", g+"box", "a term adds a box or a tax code's amount, not both")
				continue
			}
			_, known := codes[t.TaxCode]
			v.Check(known, g+"tax_code", "is not a tax code of this company")
			v.Check(t.Amount == "base" || t.Amount == "tax", g+"amount", "must be base or tax")
			v.Check(t.Side == SideSales || t.Side == SidePurchases, g+"side", "must be sales or purchases")
		}
		seen[b.Code] = true
	}
	if err := v.Err("tax boxes"); err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := s.TaxBoxes(ctx, companyID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invoice_tax_boxes WHERE company_id = ?`, int64(companyID)); err != nil {
			return fmt.Errorf("replace tax boxes: %w", err)
		}
		for i, b := range boxes {
			terms, _ := json.Marshal(b.Terms)
			if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_tax_boxes (company_id, position, code, name, terms) VALUES (?, ?, ?, ?, ?)`,
				int64(companyID), i+1, b.Code, b.Name, string(terms)); err != nil {
				return fmt.Errorf("replace tax boxes: %w", err)
			}
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "tax_boxes", EntityID: companyID.String(), Action: "update",
			Old: map[string]any{"boxes": before}, New: map[string]any{"boxes": boxes}})
		return err
	})
	return boxes, err
}

// TaxReport is a company's tax return for a period: the box amounts, the
// base and tax per tax code and side, and the settlement if posted. Amounts
// are in company currency, converted at each document's rate.
type TaxReport struct {
	From       backoffice.Date     `json:"from"`
	To         backoffice.Date     `json:"to"`
	Currency   backoffice.Currency `json:"currency"`
	Boxes      []TaxBoxAmount      `json:"boxes"`
	Codes      []TaxCodeAmounts    `json:"codes"`
	Payable    int64               `json:"payable"` // output tax − input tax, VAT only
	Settlement *TaxSettlement      `json:"settlement,omitempty"`
}

// TaxBoxAmount is one box's amount.
type TaxBoxAmount struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
}

// TaxCodeAmounts are the period's amounts of one tax code.
type TaxCodeAmounts struct {
	TaxCode       string  `json:"tax_code"`
	Type          TaxType `json:"type"`
	SalesBase     int64   `json:"sales_base"`
	SalesTax      int64   `json:"sales_tax"`
	PurchasesBase int64   `json:"purchases_base"`
	PurchasesTax  int64   `json:"purchases_tax"`
	Documents     int     `json:"documents"`
}

// TaxSettlement is the posted settlement of a period.
type TaxSettlement struct {
	ID      backoffice.ID   `json:"id"`
	From    backoffice.Date `json:"from"`
	To      backoffice.Date `json:"to"`
	EntryID backoffice.ID   `json:"entry_id"`
	Payable int64           `json:"payable"`
}

// TaxDocument is a document counted in a tax code's amounts, for drilling
// down from a box.
type TaxDocument struct {
	DocumentID backoffice.ID   `json:"document_id"`
	Number     string          `json:"number"`
	Kind       Kind            `json:"kind"`
	Date       backoffice.Date `json:"date"`
	PartyName  string          `json:"party_name"`
	TaxCode    string          `json:"tax_code"`
	Base       int64           `json:"base"` // company currency, signed for the report
	Tax        int64           `json:"tax"`
}

// taxRows reads the tax subtotals of the documents posted in the period
// (cancelled ones included: their credit note counts against them).
func (s *Service) taxRows(ctx context.Context, companyID backoffice.ID, from, to backoffice.Date, taxCode string) ([]TaxDocument, error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: "give the period: from and to, from on or before to",
			Fields: map[string]string{"from": "is required", "to": "is required, on or after from"}}
	}
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	q := `SELECT d.id, d.number, d.kind, d.issue_date, p.legal_name, d.currency, d.rate, t.tax_code, t.taxable_amount, t.tax_amount
		FROM invoice_taxes t JOIN invoice_documents d ON d.id = t.document_id JOIN parties p ON p.id = d.party_id
		WHERE d.company_id = ? AND d.state IN (?, ?) AND d.issue_date >= ? AND d.issue_date <= ?`
	args := []any{int64(companyID), string(StatePosted), string(StateCancelled), from, to}
	if taxCode != "" {
		q += ` AND t.tax_code = ?`
		args = append(args, taxCode)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY d.issue_date, d.id, t.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("read tax subtotals: %w", err)
	}
	defer rows.Close()
	var out []TaxDocument
	for rows.Next() {
		var d TaxDocument
		var cur backoffice.Currency
		var rate string
		if err := rows.Scan(&d.DocumentID, &d.Number, &d.Kind, &d.Date, &d.PartyName, &cur, &rate, &d.TaxCode, &d.Base, &d.Tax); err != nil {
			return nil, fmt.Errorf("read tax subtotals: %w", err)
		}
		if d.Base, err = toCompany(d.Base, cur, rate, base); err != nil {
			return nil, err
		}
		if d.Tax, err = toCompany(d.Tax, cur, rate, base); err != nil {
			return nil, err
		}
		if d.Kind.Credit() {
			d.Base, d.Tax = -d.Base, -d.Tax
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// toCompany converts an amount of cur at rate (company currency per unit)
// the way the ledger converts a line: exact product, rounded half to even.
func toCompany(amount int64, cur backoffice.Currency, rate string, base backoffice.Currency) (int64, error) {
	if cur == base || rate == "" {
		return amount, nil
	}
	r, err := decimal.Parse(rate)
	if err != nil {
		return 0, fmt.Errorf("document rate %q: %w", rate, err)
	}
	a, err := decimal.New(amount, cur.Exponent())
	if err == nil {
		a, err = a.Mul(r)
	}
	whole, frac, ok := a.Int64(base.Exponent())
	if err != nil || !ok {
		return 0, fmt.Errorf("convert %d %s at %s: out of range", amount, cur, rate)
	}
	p := int64(1)
	for range base.Exponent() {
		p *= 10
	}
	return whole*p + frac, nil
}

// TaxReport computes the tax return of a period.
func (s *Service) TaxReport(ctx context.Context, companyID backoffice.ID, from, to backoffice.Date) (TaxReport, error) {
	docs, err := s.taxRows(ctx, companyID, from, to, "")
	if err != nil {
		return TaxReport{}, err
	}
	codes, err := taxCodesByCode(ctx, s.DB, companyID)
	if err != nil {
		return TaxReport{}, err
	}
	rep := TaxReport{From: from, To: to}
	if rep.Currency, err = s.companyCurrency(ctx, s.DB, companyID); err != nil {
		return rep, err
	}
	byCode := map[string]*TaxCodeAmounts{}
	counted := map[string]map[backoffice.ID]bool{}
	for _, d := range docs {
		a := byCode[d.TaxCode]
		if a == nil {
			a = &TaxCodeAmounts{TaxCode: d.TaxCode, Type: codes[d.TaxCode].Type}
			byCode[d.TaxCode], counted[d.TaxCode] = a, map[backoffice.ID]bool{}
		}
		if d.Kind.Sales() {
			a.SalesBase, a.SalesTax = a.SalesBase+d.Base, a.SalesTax+d.Tax
		} else {
			a.PurchasesBase, a.PurchasesTax = a.PurchasesBase+d.Base, a.PurchasesTax+d.Tax
		}
		if !counted[d.TaxCode][d.DocumentID] {
			counted[d.TaxCode][d.DocumentID] = true
			a.Documents++
		}
	}
	for _, code := range slices.Sorted(maps.Keys(byCode)) {
		a := *byCode[code]
		rep.Codes = append(rep.Codes, a)
		if a.Type == TaxVAT {
			rep.Payable += a.SalesTax - a.PurchasesTax
		}
	}
	boxes, err := s.TaxBoxes(ctx, companyID)
	if err != nil {
		return rep, err
	}
	amounts := map[string]int64{}
	for _, b := range boxes {
		var sum int64
		for _, t := range b.Terms {
			v := amounts[t.Box]
			if t.Box == "" {
				v = termAmount(byCode[t.TaxCode], t)
			}
			sum += int64(t.Sign) * v
		}
		amounts[b.Code] = sum
		rep.Boxes = append(rep.Boxes, TaxBoxAmount{Code: b.Code, Name: b.Name, Amount: sum})
	}
	rep.Settlement, err = s.settlementOf(ctx, companyID, from)
	return rep, err
}

func termAmount(a *TaxCodeAmounts, t TaxBoxTerm) int64 {
	if a == nil {
		return 0
	}
	switch {
	case t.Side == SideSales && t.Amount == "base":
		return a.SalesBase
	case t.Side == SideSales:
		return a.SalesTax
	case t.Amount == "base":
		return a.PurchasesBase
	}
	return a.PurchasesTax
}

// TaxDocuments lists the documents behind one tax code's amounts in a
// period, for the drill-down from a box.
func (s *Service) TaxDocuments(ctx context.Context, companyID backoffice.ID, from, to backoffice.Date, taxCode, side string) ([]TaxDocument, error) {
	docs, err := s.taxRows(ctx, companyID, from, to, taxCode)
	if err != nil {
		return nil, err
	}
	out := docs[:0]
	for _, d := range docs {
		if side == "" || (side == SideSales) == d.Kind.Sales() {
			out = append(out, d)
		}
	}
	return out, nil
}
