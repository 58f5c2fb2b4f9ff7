package invoice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

const documentColumns = `d.id, d.company_id, d.kind, d.state, d.number, d.fiscal_year, d.party_id, p.legal_name, p.trade_name, d.issue_date,
	d.due_date, d.currency, d.rate, d.payment_terms, d.early_discount_percent, d.early_discount_days, d.notes, d.supplier_reference,
	d.credits_id, d.line_total, d.allowance_total, d.charge_total, d.tax_exclusive, d.tax_total, d.tax_inclusive, d.withheld, d.payable,
	d.entry_id, d.cancelled_by_id, d.duplicate_reason, d.posted_at, d.version, d.created_at, d.updated_at`

const documentFrom = ` FROM invoice_documents d JOIN parties p ON p.id = d.party_id`

func scanDocument(s scanner) (Document, error) {
	var d Document
	var number sql.NullString
	var year, credits, entry, cancelled sql.NullInt64
	var legal, trade string
	var posted sql.NullTime
	var discount int64
	t := &d.Totals
	err := s.Scan(&d.ID, &d.CompanyID, &d.Kind, &d.State, &number, &year, &d.PartyID, &legal, &trade, &d.IssueDate,
		&d.DueDate, &d.Currency, &d.Rate, &d.PaymentTerms, &discount, &d.EarlyDiscountDays, &d.Notes, &d.SupplierReference,
		&credits, &t.LineTotal, &t.AllowanceTotal, &t.ChargeTotal, &t.TaxExclusive, &t.TaxTotal, &t.TaxInclusive, &t.Withheld, &t.Payable,
		&entry, &cancelled, &d.DuplicateReason, &posted, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	if err != nil {
		return d, err
	}
	d.Number, d.FiscalYear, d.EarlyDiscountPercent = number.String, int(year.Int64), Percent(discount)
	d.PartyName = cmpOr(trade, legal)
	d.CreditsID, d.EntryID, d.CancelledByID = backoffice.ID(credits.Int64), backoffice.ID(entry.Int64), backoffice.ID(cancelled.Int64)
	if posted.Valid {
		pt := posted.Time.UTC()
		d.PostedAt = &pt
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

// getDocument reads one document of the company with its lines,
// allowances, tax breakdown and installments.
func getDocument(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Document, error) {
	d, err := scanDocument(q.QueryRowContext(ctx, `SELECT `+documentColumns+documentFrom+` WHERE d.id = ? AND d.company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, notFound("document", id)
	}
	if err != nil {
		return Document{}, fmt.Errorf("read document: %w", err)
	}
	return d, loadChildren(ctx, q, &d)
}

// loadChildren reads a document's lines, allowances, taxes and installments.
func loadChildren(ctx context.Context, q sqldb.Querier, d *Document) error {
	d.Lines, d.Allowances, d.Taxes, d.Installments = []Line{}, []Allowance{}, []TaxSubtotal{}, []Installment{}
	rows, err := q.QueryContext(ctx, `SELECT line_no, product_id, description, quantity, unit, unit_price, discount_percent, tax_codes,
		account_id, dimensions, net_amount FROM invoice_lines WHERE document_id = ? ORDER BY line_no`, int64(d.ID))
	if err != nil {
		return fmt.Errorf("read document lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l Line
		var product sql.NullInt64
		var codes, dims string
		var qty, disc int64
		if err := rows.Scan(&l.LineNo, &product, &l.Description, &qty, &l.Unit, &l.UnitPrice, &disc, &codes, &l.AccountID, &dims, &l.NetAmount); err != nil {
			return fmt.Errorf("read document lines: %w", err)
		}
		l.ProductID, l.Quantity, l.DiscountPercent = backoffice.ID(product.Int64), Quantity(qty), Percent(disc)
		l.TaxCodes = splitCodes(codes)
		if dims != "" {
			if err := json.Unmarshal([]byte(dims), &l.Dimensions); err != nil {
				return fmt.Errorf("dimensions of document %d line %d: %w", d.ID, l.LineNo, err)
			}
		}
		d.Lines = append(d.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if err := loadAllowances(ctx, q, d); err != nil {
		return err
	}
	if err := loadTaxes(ctx, q, d); err != nil {
		return err
	}
	return loadInstallments(ctx, q, d)
}

func loadAllowances(ctx context.Context, q sqldb.Querier, d *Document) error {
	rows, err := q.QueryContext(ctx, `SELECT charge, amount, reason, tax_code, account_id FROM invoice_allowances WHERE document_id = ? ORDER BY seq`, int64(d.ID))
	if err != nil {
		return fmt.Errorf("read allowances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Allowance
		if err := rows.Scan(&a.Charge, &a.Amount, &a.Reason, &a.TaxCode, &a.AccountID); err != nil {
			return fmt.Errorf("read allowances: %w", err)
		}
		d.Allowances = append(d.Allowances, a)
	}
	return rows.Err()
}

func loadTaxes(ctx context.Context, q sqldb.Querier, d *Document) error {
	rows, err := q.QueryContext(ctx, `SELECT tax_code, type, category, rate, exemption_code, exemption_reason, taxable_amount, tax_amount
		FROM invoice_taxes WHERE document_id = ? ORDER BY seq`, int64(d.ID))
	if err != nil {
		return fmt.Errorf("read taxes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t TaxSubtotal
		var rate int64
		if err := rows.Scan(&t.TaxCode, &t.Type, &t.Category, &rate, &t.ExemptionCode, &t.ExemptionReason, &t.TaxableAmount, &t.TaxAmount); err != nil {
			return fmt.Errorf("read taxes: %w", err)
		}
		t.Rate = Percent(rate)
		d.Taxes = append(d.Taxes, t)
	}
	return rows.Err()
}

func loadInstallments(ctx context.Context, q sqldb.Querier, d *Document) error {
	rows, err := q.QueryContext(ctx, `SELECT due_date, amount, entry_line FROM invoice_installments WHERE document_id = ? ORDER BY seq`, int64(d.ID))
	if err != nil {
		return fmt.Errorf("read installments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i Installment
		var line sql.NullInt64
		if err := rows.Scan(&i.DueDate, &i.Amount, &line); err != nil {
			return fmt.Errorf("read installments: %w", err)
		}
		i.EntryLine = int(line.Int64)
		d.Installments = append(d.Installments, i)
	}
	return rows.Err()
}

func splitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// insertDocument stores a new document row and its children, setting d.ID.
func insertDocument(ctx context.Context, tx *sqldb.Tx, d *Document) error {
	t := d.Totals
	err := tx.QueryRowContext(ctx, `INSERT INTO invoice_documents (company_id, kind, state, number, fiscal_year, party_id, issue_date,
		due_date, currency, rate, payment_terms, early_discount_percent, early_discount_days, notes, supplier_reference, supplier_reference_key,
		credits_id, line_total, allowance_total, charge_total, tax_exclusive, tax_total, tax_inclusive, withheld, payable, entry_id,
		cancelled_by_id, duplicate_reason, posted_at, version, created_at, updated_at)
		VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, ?, ?, ?) RETURNING id`,
		int64(d.CompanyID), string(d.Kind), string(d.State), int64(d.PartyID), d.IssueDate, d.DueDate, string(d.Currency), storedRate(d),
		d.PaymentTerms, int64(d.EarlyDiscountPercent), d.EarlyDiscountDays, d.Notes, d.SupplierReference, referenceKey(d.SupplierReference),
		nullID(d.CreditsID), t.LineTotal, t.AllowanceTotal, t.ChargeTotal, t.TaxExclusive, t.TaxTotal, t.TaxInclusive, t.Withheld, t.Payable,
		d.DuplicateReason, d.Version, d.CreatedAt, d.UpdatedAt).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	return insertChildren(ctx, tx, d)
}

// updateDraft replaces a draft's fields and children when its version is
// still oldVersion.
func updateDraft(ctx context.Context, tx *sqldb.Tx, d *Document, oldVersion int64) error {
	t := d.Totals
	res, err := tx.ExecContext(ctx, `UPDATE invoice_documents SET kind = ?, party_id = ?, issue_date = ?, due_date = ?, currency = ?, rate = ?,
		payment_terms = ?, early_discount_percent = ?, early_discount_days = ?, notes = ?, supplier_reference = ?, supplier_reference_key = ?,
		credits_id = ?, line_total = ?, allowance_total = ?, charge_total = ?, tax_exclusive = ?, tax_total = ?, tax_inclusive = ?,
		withheld = ?, payable = ?, duplicate_reason = ?, version = ?, updated_at = ?
		WHERE id = ? AND company_id = ? AND state = ? AND version = ?`,
		string(d.Kind), int64(d.PartyID), d.IssueDate, d.DueDate, string(d.Currency), storedRate(d), d.PaymentTerms, int64(d.EarlyDiscountPercent),
		d.EarlyDiscountDays, d.Notes, d.SupplierReference, referenceKey(d.SupplierReference), nullID(d.CreditsID), t.LineTotal,
		t.AllowanceTotal, t.ChargeTotal, t.TaxExclusive, t.TaxTotal, t.TaxInclusive, t.Withheld, t.Payable, d.DuplicateReason, d.Version,
		d.UpdatedAt, int64(d.ID), int64(d.CompanyID), string(StateDraft), oldVersion)
	if err != nil {
		return fmt.Errorf("update document: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return stale("document", d.ID, oldVersion)
	}
	if err := deleteChildren(ctx, tx, d.ID); err != nil {
		return err
	}
	return insertChildren(ctx, tx, d)
}

// storedRate is the rate a draft keeps: none when it takes the ledger's.
func storedRate(d *Document) string {
	if d.rateFromLedger && d.State == StateDraft {
		return ""
	}
	return d.Rate
}

func deleteChildren(ctx context.Context, tx *sqldb.Tx, id backoffice.ID) error {
	for _, table := range []string{"invoice_lines", "invoice_allowances", "invoice_taxes", "invoice_installments"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE document_id = ?`, int64(id)); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

// insertChildren writes a document's lines with one multi-row INSERT (a
// document has at most maxLines lines of 14 columns, under both dialects'
// parameter limits) and its allowances, taxes and installments.
func insertChildren(ctx context.Context, tx *sqldb.Tx, d *Document) error {
	if len(d.Lines) > 0 {
		args := make([]any, 0, len(d.Lines)*13)
		rows := make([]string, 0, len(d.Lines))
		for _, l := range d.Lines {
			dims := ""
			if len(l.Dimensions) > 0 {
				b, _ := json.Marshal(l.Dimensions)
				dims = string(b)
			}
			rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, int64(d.CompanyID), int64(d.ID), l.LineNo, nullID(l.ProductID), l.Description, int64(l.Quantity), l.Unit,
				l.UnitPrice, int64(l.DiscountPercent), strings.Join(l.TaxCodes, ","), int64(l.AccountID), dims, l.NetAmount)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_lines (company_id, document_id, line_no, product_id, description, quantity, unit,
			unit_price, discount_percent, tax_codes, account_id, dimensions, net_amount) VALUES `+strings.Join(rows, ", "), args...); err != nil {
			return fmt.Errorf("insert document lines: %w", err)
		}
	}
	for i, a := range d.Allowances {
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_allowances (company_id, document_id, seq, charge, amount, reason, tax_code, account_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, int64(d.CompanyID), int64(d.ID), i+1, a.Charge, a.Amount, a.Reason, a.TaxCode, int64(a.AccountID)); err != nil {
			return fmt.Errorf("insert allowance: %w", err)
		}
	}
	for i, t := range d.Taxes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_taxes (company_id, document_id, seq, tax_code, type, category, rate, exemption_code,
			exemption_reason, taxable_amount, tax_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, int64(d.CompanyID), int64(d.ID), i+1,
			t.TaxCode, string(t.Type), t.Category, int64(t.Rate), t.ExemptionCode, t.ExemptionReason, t.TaxableAmount, t.TaxAmount); err != nil {
			return fmt.Errorf("insert tax subtotal: %w", err)
		}
	}
	for i, it := range d.Installments {
		var line any
		if it.EntryLine != 0 {
			line = it.EntryLine
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO invoice_installments (company_id, document_id, seq, due_date, amount, entry_line)
			VALUES (?, ?, ?, ?, ?, ?)`, int64(d.CompanyID), int64(d.ID), i+1, it.DueDate, it.Amount, line); err != nil {
			return fmt.Errorf("insert installment: %w", err)
		}
	}
	return nil
}

// referenceKey is the supplier reference normalised for duplicate
// detection: upper case without spaces, dashes, dots or slashes.
func referenceKey(ref string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(ref) {
		if r == ' ' || r == '-' || r == '.' || r == '/' || r == '_' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// remaining is what is left to credit of a posted document: its payable
// amount less the posted credit notes (or refunds) that reference it,
// other than except.
func remaining(ctx context.Context, q sqldb.Querier, orig Document, except backoffice.ID) (int64, error) {
	var credited sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT SUM(payable) FROM invoice_documents WHERE company_id = ? AND credits_id = ? AND state <> ? AND id <> ?`,
		int64(orig.CompanyID), int64(orig.ID), string(StateDraft), int64(except)).Scan(&credited)
	if err != nil {
		return 0, fmt.Errorf("sum credits: %w", err)
	}
	return orig.Totals.Payable - credited.Int64, nil
}
