package invoice

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"backoffice"
	"backoffice/ledger"
	"backoffice/pdf"
)

// StatementPDF prints a customer's statement of account at asOf (today
// when zero), in the customer's language: what is open at that date (the
// ledger's open items of the party on receivable accounts, with days
// overdue and the balance per currency), the ageing of that balance, and
// the movements of asOf's month up to asOf (documents issued and payments
// received), with how to pay.
func (s *Service) StatementPDF(ctx context.Context, companyID, partyID backoffice.ID, asOf backoffice.Date) ([]byte, error) {
	if asOf.IsZero() {
		asOf = backoffice.DateOf(s.now())
	}
	p, err := s.Party.Get(ctx, companyID, partyID)
	if err != nil {
		return nil, err
	}
	lh, err := s.letterhead(ctx, companyID)
	if err != nil {
		return nil, err
	}
	var items []ledger.OpenItem
	page := backoffice.Page{Limit: 500}
	for {
		list, err := s.Ledger.OpenItems(ctx, companyID, ledger.OpenItemFilter{Kind: "receivable", PartyID: int64(partyID), AsOf: asOf, Page: page})
		if err != nil {
			return nil, err
		}
		items = append(items, list.Items...)
		if list.Next == "" || len(items) > 10000 {
			break
		}
		page.After = list.Next
	}
	aging, err := s.Ledger.Aging(ctx, companyID, ledger.AgingOptions{Kind: "receivable", AsOf: asOf, PartyID: int64(partyID)})
	if err != nil {
		return nil, err
	}
	moves, err := s.movements(ctx, companyID, partyID, backoffice.NewDate(asOf.Year, asOf.Month, 1), asOf)
	if err != nil {
		return nil, err
	}

	l := langOf(p.Language)
	doc := pdf.New(lh.heading(l, l.label("statement"), l.label("as_of")+" "+l.date(asOf), s.now()))
	facts := []pdf.Field{{Label: l.label("as_of"), Value: l.date(asOf)}}
	if p.VATID != "" {
		facts = append(facts, pdf.Field{Label: l.label("customer_vat"), Value: p.VATID})
	}
	doc.Blocks(pdf.Block{Title: l.label("bill_to"), Lines: append([]string{p.LegalName}, addressFrom(p.Billing, lh.seller.Address.Country)...)},
		pdf.Block{Title: l.label("from"), Lines: append([]string{lh.seller.LegalName}, addressFrom(lh.seller.Address, p.Billing.Country)...)},
		pdf.Block{Fields: facts})

	doc.Subheading(l.label("open_items"))
	balance := map[backoffice.Currency]int64{}
	var currencies []backoffice.Currency
	if len(items) == 0 {
		doc.Paragraph(l.label("no_open_items"))
	} else {
		t := doc.Table(
			pdf.Column{Header: l.label("document"), Width: 2.6},
			pdf.Column{Header: l.label("date"), Width: 1.6},
			pdf.Column{Header: l.label("due_date"), Width: 1.6},
			pdf.Column{Header: l.label("days_overdue"), Width: 1.7, Align: pdf.Right},
			pdf.Column{Header: l.label("amount"), Width: 2, Align: pdf.Right},
			pdf.Column{Header: l.label("open"), Width: 2, Align: pdf.Right},
		)
		for _, it := range items {
			due := it.DueDate
			if due.IsZero() {
				due = it.Date
			}
			overdue := ""
			if n := due.DaysUntil(asOf); n > 0 {
				overdue = strconv.Itoa(n)
			}
			ref := it.Reference
			if ref == "" {
				ref = it.EntryNumber
			}
			if _, ok := balance[it.Currency]; !ok {
				currencies = append(currencies, it.Currency)
			}
			balance[it.Currency] += it.Residual
			t.Add(pdf.Row{Cells: []string{ref, l.date(it.Date), l.date(due), overdue, l.money(it.Amount, it.Currency), l.money(it.Residual, it.Currency)}})
		}
		var sum []pdf.SummaryRow
		for _, c := range currencies {
			sum = append(sum, pdf.SummaryRow{Label: l.label("balance"), Value: l.money(balance[c], c), Bold: true, Rule: true})
		}
		doc.Summary(sum...)
	}

	if len(aging.Rows) > 0 {
		cols := []pdf.Column{{Header: l.label("aging"), Width: 1.4}}
		keys := []string{"not_due", "days_1_30", "days_31_60", "days_61_90", "days_90"}
		for i := range aging.Buckets {
			h := aging.Buckets[i].Label
			if len(aging.Buckets) == len(keys) {
				h = l.label(keys[i])
			}
			cols = append(cols, pdf.Column{Header: h, Width: 1.6, Align: pdf.Right})
		}
		cols = append(cols, pdf.Column{Header: l.label("total"), Width: 1.8, Align: pdf.Right})
		t := doc.Table(cols...)
		for _, r := range aging.Rows {
			cells := []string{string(r.Currency)}
			for _, a := range r.Amounts {
				cells = append(cells, l.amount(a, r.Currency))
			}
			t.Add(pdf.Row{Cells: append(cells, l.amount(r.Total, r.Currency))})
		}
	}

	doc.Subheading(sprintf(l.label("movements"), l.monthName(asOf)))
	if len(moves) == 0 {
		doc.Paragraph(l.label("no_movements"))
	} else {
		t := doc.Table(
			pdf.Column{Header: l.label("date"), Width: 1.6},
			pdf.Column{Header: l.label("document"), Width: 4},
			pdf.Column{Header: l.label("debit"), Width: 2, Align: pdf.Right},
			pdf.Column{Header: l.label("credit"), Width: 2, Align: pdf.Right},
		)
		for _, m := range moves {
			row := []string{l.date(m.date), m.what, "", ""}
			if m.amount >= 0 {
				row[2] = l.money(m.amount, m.currency)
			} else {
				row[3] = l.money(-m.amount, m.currency)
			}
			t.Add(pdf.Row{Cells: row})
		}
	}
	if lh.seller.IBAN != "" && len(items) > 0 {
		text := l.label("statement_pay") + "\n" + l.label("account_holder") + ": " + lh.seller.LegalName + "\n" + l.label("iban") + ": " + formatIBAN(lh.seller.IBAN)
		if lh.seller.BIC != "" {
			text += "\n" + l.label("bic") + ": " + lh.seller.BIC
		}
		doc.Note(l.label("payment"), text)
	}
	var b bytes.Buffer
	if err := doc.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// movement is one line of a statement's month: a document issued (what
// the customer owes more, positive) or a payment received (negative).
type movement struct {
	date     backoffice.Date
	what     string
	currency backoffice.Currency
	amount   int64
}

// movements lists a customer's posted invoices and credit notes issued and
// payments received from from to to, by date.
func (s *Service) movements(ctx context.Context, companyID, partyID backoffice.ID, from, to backoffice.Date) ([]movement, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT issue_date, kind, number, currency, payable FROM invoice_documents
		WHERE company_id = ? AND party_id = ? AND state <> ? AND kind IN (?, ?) AND issue_date >= ? AND issue_date <= ?
		UNION ALL
		SELECT date, 'payment', number, currency, -amount FROM payments
		WHERE company_id = ? AND party_id = ? AND direction = ? AND state = ? AND date >= ? AND date <= ?
		ORDER BY 1, 3`,
		int64(companyID), int64(partyID), string(StateDraft), string(KindInvoice), string(KindCreditNote), from, to,
		int64(companyID), int64(partyID), string(Received), string(PaymentPosted), from, to)
	if err != nil {
		return nil, fmt.Errorf("read the statement's movements: %w", err)
	}
	defer rows.Close()
	var out []movement
	for rows.Next() {
		var m movement
		var kind string
		var number *string
		if err := rows.Scan(&m.date, &kind, &number, &m.currency, &m.amount); err != nil {
			return nil, fmt.Errorf("read the statement's movements: %w", err)
		}
		if number != nil {
			m.what = *number
		}
		if kind == string(KindCreditNote) {
			m.amount = -m.amount
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
