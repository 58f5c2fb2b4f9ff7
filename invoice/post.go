package invoice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// PostOptions qualify Post. Version, when not 0, must be the draft's
// current version. DuplicateReason records why a bill that looks like
// another is not a duplicate.
type PostOptions struct {
	Version         int64  `json:"version,omitempty"`
	DuplicateReason string `json:"duplicate_reason,omitempty"`
}

// Post posts a draft: it is checked again against the current tax codes,
// accounts and party, gets the next gapless number of its kind and fiscal
// year (INV-2026-00001, CN-…, BILL-…, REF-…), and its ledger entry is
// posted in the same transaction as the document and the change log.
// Invoice: Dr receivable per due date / Cr income per account and
// dimensions / Cr output tax per tax code; a bill the mirror; a credit
// note or refund the reverse of its kind. Nothing is stored on any error.
func (s *Service) Post(ctx context.Context, companyID, id backoffice.ID, opts PostOptions) (Document, error) {
	r, err := s.newResolver(ctx, companyID)
	if err != nil {
		return Document{}, err
	}
	d, ne, err := s.preparePost(ctx, r, id, opts)
	if err != nil {
		return Document{}, err
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error { return s.postTx(ctx, tx, d, ne, "", nil) })
	if err != nil {
		return Document{}, err
	}
	return *d, nil
}

// postTx claims (or, for a new document, inserts) the document, numbers
// it, posts its entry and records the change, all in tx.
//
// With changes given, the document's change-log record is added to it for
// the caller to append with the batch's others (one append for a batch).
func (s *Service) postTx(ctx context.Context, tx *sqldb.Tx, d *Document, ne ledger.NewEntry, reason string, changes *[]audit.Change) error {
	now := s.now()
	if d.ID == 0 {
		d.CreatedAt, d.UpdatedAt, d.Version = now, now, 0
		if err := insertDocument(ctx, tx, d); err != nil {
			return err
		}
	} else if err := claimDraft(ctx, tx, d); err != nil {
		return err
	}
	if err := s.checkCredit(ctx, tx, d); err != nil {
		return err
	}
	if err := checkDuplicates(ctx, tx, d); err != nil {
		return err
	}
	if err := s.number(ctx, tx, d); err != nil {
		return err
	}
	ne.Reference = d.Number
	e, err := s.Ledger.PostTx(ctx, tx, d.CompanyID, ne)
	if err != nil {
		return ledgerError(err)
	}
	line := 0
	for i := range d.Installments {
		line++
		d.Installments[i].EntryLine = line
	}
	d.State, d.EntryID, d.PostedAt, d.UpdatedAt, d.Version = StatePosted, e.ID, &now, now, d.Version+1
	if err := markPosted(ctx, tx, d); err != nil {
		return err
	}
	fields := changeFields(d)
	fields["entry_id"] = e.ID
	if d.DuplicateReason != "" && reason == "" {
		reason = "possible duplicate recorded: " + d.DuplicateReason
	}
	c := audit.Change{CompanyID: d.CompanyID, Entity: entity, EntityID: d.ID.String(), Action: "post",
		Old: map[string]any{"state": StateDraft}, New: fields, Reason: reason}
	if changes != nil {
		*changes = append(*changes, c)
		return nil
	}
	_, err = s.Audit.Append(ctx, tx, c)
	return err
}

// claimDraft locks the draft row for the transaction, proving it is still
// the draft at the version that was checked.
func claimDraft(ctx context.Context, tx *sqldb.Tx, d *Document) error {
	res, err := tx.ExecContext(ctx, `UPDATE invoice_documents SET updated_at = updated_at WHERE id = ? AND company_id = ? AND state = ? AND version = ?`,
		int64(d.ID), int64(d.CompanyID), string(StateDraft), d.Version)
	if err != nil {
		return fmt.Errorf("claim draft: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backoffice.Errorf(backoffice.EConflict, "document %d was changed or posted meanwhile: reload it", d.ID)
	}
	return nil
}

// checkCredit checks again, inside the transaction and with the credited
// document locked, that a credit is not larger than what remains, so two
// concurrent credit notes cannot both take the same amount.
func (s *Service) checkCredit(ctx context.Context, tx *sqldb.Tx, d *Document) error {
	if d.CreditsID == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invoice_documents SET updated_at = updated_at WHERE id = ?`, int64(d.CreditsID)); err != nil {
		return fmt.Errorf("lock credited document: %w", err)
	}
	orig, err := getDocument(ctx, tx, d.CompanyID, d.CreditsID)
	if err != nil {
		return err
	}
	left, err := remaining(ctx, tx, orig, d.ID)
	if err != nil {
		return err
	}
	if d.Totals.Payable > left {
		return &backoffice.Error{Code: backoffice.EInvalid,
			Message: fmt.Sprintf("the credit of %s is larger than what remains of %s (%s)", backoffice.FormatMinor(d.Totals.Payable, d.Currency.Exponent()),
				orig.Number, backoffice.FormatMinor(left, d.Currency.Exponent())),
			Fields: map[string]string{"credits_id": "is credited beyond what remains of it"}}
	}
	return nil
}

// number gives d the next number of its kind in its fiscal year. The
// upsert locks the counter row until the transaction ends, so numbers have
// no gaps: a rolled-back posting gives its number back.
func (s *Service) number(ctx context.Context, tx *sqldb.Tx, d *Document) error {
	year, err := fiscalYear(ctx, tx, d.CompanyID, d.IssueDate)
	if err != nil {
		return err
	}
	var last int64
	err = tx.QueryRowContext(ctx, `INSERT INTO invoice_sequences (company_id, kind, fiscal_year, last_number) VALUES (?, ?, ?, 1)
		ON CONFLICT (company_id, kind, fiscal_year) DO UPDATE SET last_number = invoice_sequences.last_number + 1
		RETURNING last_number`, int64(d.CompanyID), string(d.Kind), year).Scan(&last)
	if err != nil {
		return fmt.Errorf("number document: %w", err)
	}
	d.FiscalYear, d.Number = year, fmt.Sprintf("%s-%d-%05d", d.Kind.prefix(), year, last)
	return nil
}

// fiscalYear names the fiscal year of day d as the ledger does: after the
// calendar year it ends in, with years starting in the month the ledger's
// settings give (January unless set).
func fiscalYear(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, d backoffice.Date) (int, error) {
	var m int
	err := q.QueryRowContext(ctx, `SELECT fiscal_start_month FROM ledger_settings WHERE company_id = ?`, int64(companyID)).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		m = 1
	} else if err != nil {
		return 0, fmt.Errorf("read fiscal year start: %w", err)
	}
	y := d.Year
	if d.Month < time.Month(m) {
		y--
	}
	return backoffice.NewDate(y, time.Month(m), 1).AddMonths(12).AddDays(-1).Year, nil
}

// markPosted writes the posted document's number, entry, totals and children.
func markPosted(ctx context.Context, tx *sqldb.Tx, d *Document) error {
	t := d.Totals
	_, err := tx.ExecContext(ctx, `UPDATE invoice_documents SET state = ?, number = ?, fiscal_year = ?, entry_id = ?, posted_at = ?, rate = ?,
		due_date = ?, payment_terms = ?, early_discount_percent = ?, early_discount_days = ?, line_total = ?, allowance_total = ?,
		charge_total = ?, tax_exclusive = ?, tax_total = ?, tax_inclusive = ?, withheld = ?, payable = ?, duplicate_reason = ?,
		version = ?, updated_at = ? WHERE id = ?`, string(d.State), d.Number, d.FiscalYear, int64(d.EntryID), *d.PostedAt, d.Rate,
		d.DueDate, d.PaymentTerms, int64(d.EarlyDiscountPercent), d.EarlyDiscountDays, t.LineTotal, t.AllowanceTotal, t.ChargeTotal,
		t.TaxExclusive, t.TaxTotal, t.TaxInclusive, t.Withheld, t.Payable, d.DuplicateReason, d.Version, d.UpdatedAt, int64(d.ID))
	if err != nil {
		return fmt.Errorf("mark document posted: %w", err)
	}
	if d.childrenStored {
		// The draft's lines and taxes are what was checked: only the
		// installments learn their entry lines.
		for i, it := range d.Installments {
			if _, err := tx.ExecContext(ctx, `UPDATE invoice_installments SET entry_line = ? WHERE document_id = ? AND seq = ?`,
				it.EntryLine, int64(d.ID), i+1); err != nil {
				return fmt.Errorf("link installment: %w", err)
			}
		}
		return nil
	}
	if err := deleteChildren(ctx, tx, d.ID); err != nil {
		return err
	}
	return insertChildren(ctx, tx, d)
}

// ledgerError turns the ledger's refusal into the document's terms.
func ledgerError(err error) error {
	var e *backoffice.Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Fields = map[string]string{}
	for k, m := range e.Fields {
		if k == "date" {
			k = "issue_date"
		} else {
			k = "entry." + k
		}
		out.Fields[k] = m
	}
	if e.Code == backoffice.EInvalid {
		out.Message = "the ledger refused the document's entry: " + e.Message
	}
	return &out
}

// entry builds the ledger entry of a resolved document. Amounts are in
// the document currency; for a foreign currency each line carries the rate
// and its company amount, rounded half to even, with the rounding
// difference on the last receivable (payable) line so the entry balances.
func (r *resolver) entry(d *Document) (ledger.NewEntry, error) {
	code, partyCode := "PUR", "2010"
	if d.Kind.Sales() {
		code, partyCode = "SAL", "1200"
	}
	journal, ok := r.journals[code]
	if !ok {
		j, err := r.s.Ledger.JournalByCode(r.ctx, d.CompanyID, code)
		if err != nil {
			return ledger.NewEntry{}, fmt.Errorf("journal %s: %w", code, err)
		}
		journal, r.journals[code] = j.ID, j.ID
	}
	p, err := r.partyByID(d.PartyID)
	if err != nil {
		return ledger.NewEntry{}, err
	}
	partyAccount := p.PayableAccountID
	if d.Kind.Sales() {
		partyAccount = p.ReceivableAccountID
	}
	if partyAccount == 0 {
		if partyAccount, err = r.chartAccount(partyCode); err != nil {
			return ledger.NewEntry{}, err
		}
		if partyAccount == 0 {
			return ledger.NewEntry{}, backoffice.Errorf(backoffice.EInvalid, "the chart has no account %s and the party names none to post to", partyCode)
		}
	}
	lines, err := entryLines(d, partyAccount, r.codes)
	if err != nil {
		return ledger.NewEntry{}, err
	}
	if err := convertLines(d, r.base, lines); err != nil {
		return ledger.NewEntry{}, err
	}
	return ledger.NewEntry{JournalID: journal, Date: d.IssueDate, Narration: fmt.Sprintf("%s %s", kindLabel(d.Kind), d.PartyName), Lines: lines}, nil
}

// entryLines are the entry's lines in document currency: the party's
// lines first (one per installment), then income or expense per account
// and dimensions, then tax per tax code.
func entryLines(d *Document, partyAccount backoffice.ID, codes map[string]TaxCode) ([]ledger.NewLine, error) {
	dir := int64(1) // +1 debits the party: invoice, refund
	if !d.Kind.Sales() {
		dir = -1
	}
	if d.Kind.Credit() {
		dir = -dir
	}
	var out []ledger.NewLine
	for _, it := range d.Installments {
		out = append(out, ledger.NewLine{AccountID: partyAccount, Currency: d.Currency, Amount: dir * it.Amount, PartyID: int64(d.PartyID), DueDate: it.DueDate})
	}
	type key struct {
		account backoffice.ID
		dims    string
	}
	sums := map[key]int64{}
	var order []key
	dimsOf := map[key]map[string]string{}
	addNet := func(account backoffice.ID, dims map[string]string, net int64) {
		b, _ := json.Marshal(dims)
		k := key{account, string(b)}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
			dimsOf[k] = dims
		}
		sums[k] += net
	}
	for _, l := range d.Lines {
		addNet(l.AccountID, l.Dimensions, l.NetAmount)
	}
	for _, a := range d.Allowances {
		net := a.Amount
		if !a.Charge {
			net = -net
		}
		addNet(a.AccountID, nil, net)
	}
	for _, k := range order {
		if sums[k] != 0 {
			out = append(out, ledger.NewLine{AccountID: k.account, Currency: d.Currency, Amount: -dir * sums[k], Dimensions: dimsOf[k]})
		}
	}
	for _, t := range d.Taxes {
		if t.TaxAmount == 0 {
			continue
		}
		tc := codes[t.TaxCode]
		// Collected: tax we owe (output VAT, tax we withhold from a
		// supplier). Deductible: tax we claim (input VAT, tax a customer
		// withheld from us).
		account, sign := tc.CollectedAccountID, -dir
		if !d.Kind.Sales() {
			account = tc.DeductibleAccountID
		}
		if t.Type == TaxWithholding {
			account, sign = tc.DeductibleAccountID, dir
			if !d.Kind.Sales() {
				account = tc.CollectedAccountID
			}
		}
		if account == 0 {
			return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("tax code %s has no account to post its tax to", t.TaxCode),
				Fields: map[string]string{"tax_codes": fmt.Sprintf("tax code %s needs its collected and deductible accounts", t.TaxCode)}}
		}
		out = append(out, ledger.NewLine{AccountID: account, Currency: d.Currency, Amount: sign * t.TaxAmount, TaxCode: t.TaxCode})
	}
	if len(out) < 2 || d.Totals.Payable == 0 {
		return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: "a document with nothing to pay cannot be posted",
			Fields: map[string]string{"lines": "the amount payable is zero"}}
	}
	return out, nil
}

// convertLines gives each line of a foreign-currency document its company
// amount, and puts the rounding difference on the last party line.
func convertLines(d *Document, base backoffice.Currency, lines []ledger.NewLine) error {
	if d.Rate == "" {
		return nil
	}
	rate, err := decimal.Parse(d.Rate)
	if err != nil {
		return fmt.Errorf("rate of document %d: %w", d.ID, err)
	}
	var sum int64
	for i := range lines {
		amt, err := decimal.New(lines[i].Amount, d.Currency.Exponent())
		if err == nil {
			amt, err = amt.Mul(rate)
		}
		whole, frac, ok := amt.Int64(base.Exponent())
		if err != nil || !ok {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "the rate gives an amount too large to convert", Fields: map[string]string{"rate": "gives an amount too large"}}
		}
		lines[i].CompanyAmount = whole*pow10(base.Exponent()) + frac
		lines[i].Rate = d.Rate
		sum += lines[i].CompanyAmount
	}
	last := len(d.Installments) - 1
	lines[last].CompanyAmount -= sum
	return nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// kindLabel is the kind in words for narrations: "Invoice", "Credit note".
func kindLabel(k Kind) string {
	switch k {
	case KindInvoice:
		return "Invoice"
	case KindCreditNote:
		return "Credit note"
	case KindBill:
		return "Bill"
	}
	return "Refund"
}
