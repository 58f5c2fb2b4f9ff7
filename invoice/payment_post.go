package invoice

import (
	"context"
	"errors"
	"fmt"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// CreatePayment registers a payment and posts it, all in one transaction:
// one ledger entry (the bank or cash line; one receivable or payable line
// per allocation, with the party; the early-payment discounts; the credit
// left to the party or the written-off difference), then one ledger match
// per allocation settling the document's open lines against the payment's
// line, realised exchange differences included, and the change-log record.
// Nothing is stored when any rule is broken: an allocation beyond what is
// open, a document of another party or not posted, a currency that is not
// the document's, a write-off above the company's tolerance, a closed period.
func (s *Service) CreatePayment(ctx context.Context, companyID backoffice.ID, in PaymentInput) (Payment, error) {
	plan, err := s.planPayment(ctx, companyID, in)
	if err != nil {
		return Payment{}, err
	}
	var p Payment
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		p, err = s.postPaymentTx(ctx, tx, plan)
		return err
	})
	return p, err
}

// postPaymentTx posts a planned payment inside tx.
func (s *Service) postPaymentTx(ctx context.Context, tx *sqldb.Tx, plan *paymentPlan) (Payment, error) {
	in := plan.in
	b, err := s.paymentLines(ctx, tx, plan)
	if err != nil {
		return Payment{}, err
	}
	p := Payment{CompanyID: plan.companyID, Direction: in.Direction, State: PaymentPosted, PartyID: in.PartyID, PartyName: plan.party.Name(),
		Date: in.Date, AccountID: in.AccountID, AccountCode: plan.account.Code, Currency: in.Currency, Rate: in.Rate, Amount: in.Amount,
		Reference: in.Reference, EndToEndID: in.EndToEndID, Unallocated: b.unallocated, UnallocatedLine: b.unallocatedLine,
		WriteOff: b.writeOff, RunID: in.runID, Version: 1}
	if in.WriteOff != nil && b.writeOff != 0 {
		p.WriteOffAccountID, p.WriteOffReason = in.WriteOff.AccountID, in.WriteOff.Reason
	}
	if err := s.numberPayment(ctx, tx, &p); err != nil {
		return Payment{}, err
	}
	narration := fmt.Sprintf("Payment from %s", plan.party.Name())
	if in.Direction == Paid {
		narration = fmt.Sprintf("Payment to %s", plan.party.Name())
	}
	e, err := s.Ledger.PostTx(ctx, tx, plan.companyID, ledger.NewEntry{JournalID: plan.journalID, Date: in.Date, Reference: p.Number,
		Narration: narration, Lines: b.lines})
	if err != nil {
		return Payment{}, paymentLedgerError(err)
	}
	p.EntryID = e.ID
	now := s.now()
	p.CreatedAt, p.UpdatedAt = now, now
	if err := insertPayment(ctx, tx, &p); err != nil {
		return Payment{}, err
	}
	for i, t := range plan.targets {
		a := Allocation{Seq: i + 1, DocumentID: t.document, DocumentNumber: t.label, PaymentID: t.payment, Amount: in.Allocations[i].Amount,
			Discount: in.Allocations[i].Discount, EntryLine: b.allocLines[i]}
		if t.payment != 0 {
			a.DocumentNumber, a.PaymentNumber = "", t.label
		}
		refs := append(b.openRefs[i], ledger.LineRef{EntryID: e.ID, LineNo: a.EntryLine})
		rec, err := s.Ledger.MatchTx(ctx, tx, plan.companyID, refs)
		if err != nil {
			return Payment{}, fmt.Errorf("settle %s: %w", t.label, err)
		}
		a.ReconciliationID = rec.ID
		if err := insertAllocation(ctx, tx, p, a); err != nil {
			return Payment{}, err
		}
		p.Allocations = append(p.Allocations, a)
	}
	_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: p.CompanyID, Entity: paymentEntity, EntityID: p.ID.String(), Action: "post",
		New: paymentFields(p), Reason: p.WriteOffReason})
	return p, err
}

// paymentBuild is a payment's entry lines and what they leave.
type paymentBuild struct {
	lines           []ledger.NewLine
	allocLines      []int              // the entry line of each allocation
	openRefs        [][]ledger.LineRef // each allocation's open lines to match
	unallocated     int64
	unallocatedLine int
	writeOff        int64
}

// paymentLines locks what the allocations settle, checks that each is open
// for at least its amount, and builds the entry: the bank line first, then
// one line per allocation, the discounts, and the difference either as the
// party's credit or written off. Amounts are signed debits: with d the
// direction (+1 received) and s the sign of what is open of a document
// (+1 an invoice, −1 a bill or credit note), the bank line is d×amount, an
// allocation −s×amount, its discount s×discount, and the difference is
// what makes the entry balance.
func (s *Service) paymentLines(ctx context.Context, tx *sqldb.Tx, plan *paymentPlan) (paymentBuild, error) {
	in := plan.in
	d := in.Direction.sign()
	v := backoffice.Validation{}
	b := paymentBuild{lines: []ledger.NewLine{{AccountID: in.AccountID, Currency: in.Currency, Amount: d * in.Amount, Memo: in.Reference}}}
	var settled, discounts int64 // Σ s×amount, Σ s×discount
	var discountLines []ledger.NewLine
	restAccount := plan.partyAccount
	for i, t := range plan.targets {
		a := in.Allocations[i]
		f := fmt.Sprintf("allocations[%d].amount", i)
		items, err := s.Ledger.LockOpenItems(ctx, tx, plan.companyID, t.refs)
		if err != nil {
			return b, err
		}
		var open int64
		var refs []ledger.LineRef
		for _, it := range items {
			if it.Residual != 0 {
				open += it.Residual
				refs = append(refs, it.LineRef)
			}
		}
		sign := int64(1)
		if open < 0 {
			sign = -1
		}
		open *= sign
		switch {
		case open <= 0:
			v.Add(f, fmt.Sprintf("%s has nothing left open to settle", t.label))
			continue
		case a.Amount > open:
			v.Add(f, fmt.Sprintf("is more than the open amount of %s (%s %s)", t.label, backoffice.FormatMinor(open, in.Currency.Exponent()), in.Currency))
			continue
		}
		if i == 0 {
			restAccount = items[0].AccountID
		}
		b.openRefs = append(b.openRefs, refs)
		b.allocLines = append(b.allocLines, len(b.lines)+1)
		b.lines = append(b.lines, ledger.NewLine{AccountID: items[0].AccountID, Currency: in.Currency, Amount: -sign * a.Amount,
			PartyID: int64(in.PartyID), Memo: t.label})
		settled += sign * a.Amount
		if a.Discount > 0 {
			discounts += sign * a.Discount
			discountLines = append(discountLines, ledger.NewLine{AccountID: t.discount, Currency: in.Currency, Amount: sign * a.Discount,
				Memo: "Early payment discount " + t.label})
		}
	}
	if err := v.Err("payment"); err != nil {
		return b, err
	}
	net := settled - discounts
	if d*net < 0 {
		return b, allocationError("the documents allocated add up to money going the other way: register a payment of the other direction")
	}
	b.lines = append(b.lines, discountLines...)
	diff := net - d*in.Amount // what balances the entry, a signed debit
	if diff != 0 {
		if err := s.addDifference(plan, &b, diff, restAccount); err != nil {
			return b, err
		}
	}
	if err := convertPaymentLines(plan, b.lines); err != nil {
		return b, err
	}
	if in.WriteOff != nil && b.writeOff != 0 {
		company := b.lines[len(b.lines)-1].CompanyAmount
		if in.Currency == plan.base {
			company = b.lines[len(b.lines)-1].Amount
		}
		if abs64(company) > plan.tolerance {
			return b, &backoffice.Error{Code: backoffice.EInvalid,
				Message: fmt.Sprintf("the difference of %s is above the write-off tolerance of %s: allocate it or keep it as the party's credit",
					backoffice.FormatMinor(abs64(company), plan.base.Exponent())+" "+string(plan.base), backoffice.FormatMinor(plan.tolerance, plan.base.Exponent())+" "+string(plan.base)),
				Fields: map[string]string{"write_off": "is above the company's write-off tolerance"}}
		}
	}
	return b, nil
}

// addDifference books the difference between the money and what the
// allocations settle: written off when asked, else kept as the party's
// credit, which must not be a debt: allocations beyond the amount paid are
// refused.
func (s *Service) addDifference(plan *paymentPlan, b *paymentBuild, diff int64, restAccount backoffice.ID) error {
	in := plan.in
	d := in.Direction.sign()
	if in.WriteOff != nil {
		b.writeOff = d * diff
		b.lines = append(b.lines, ledger.NewLine{AccountID: plan.writeOff, Currency: in.Currency, Amount: diff, Memo: "Write-off: " + in.WriteOff.Reason})
		return nil
	}
	if d*diff > 0 {
		return allocationError(fmt.Sprintf("the allocations settle %s %s more than the payment of %s %s: lower them, or write off a small difference",
			backoffice.FormatMinor(d*diff, in.Currency.Exponent()), in.Currency, backoffice.FormatMinor(in.Amount, in.Currency.Exponent()), in.Currency))
	}
	b.unallocated = -d * diff
	b.unallocatedLine = len(b.lines) + 1
	b.lines = append(b.lines, ledger.NewLine{AccountID: restAccount, Currency: in.Currency, Amount: diff, PartyID: int64(in.PartyID),
		Memo: "Unallocated credit of " + plan.party.Name()})
	return nil
}

func allocationError(msg string) error {
	return &backoffice.Error{Code: backoffice.EInvalid, Message: msg, Fields: map[string]string{"allocations": msg}}
}

// convertPaymentLines gives each line of a foreign-currency payment its
// company amount at the payment's rate, rounded half to even, with the
// rounding difference on the bank line so the entry balances.
func convertPaymentLines(plan *paymentPlan, lines []ledger.NewLine) error {
	if plan.in.Currency == plan.base {
		return nil
	}
	var sum int64
	for i := range lines {
		amt, err := decimal.New(lines[i].Amount, plan.in.Currency.Exponent())
		if err == nil {
			amt, err = amt.Mul(plan.rate)
		}
		whole, frac, ok := amt.Int64(plan.base.Exponent())
		if err != nil || !ok {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "the rate gives an amount too large to convert", Fields: map[string]string{"rate": "gives an amount too large"}}
		}
		lines[i].CompanyAmount = whole*pow10(plan.base.Exponent()) + frac
		lines[i].Rate = plan.in.Rate
		sum += lines[i].CompanyAmount
	}
	lines[0].CompanyAmount -= sum
	return nil
}

func abs64(v int64) int64 { return max(v, -v) }

// numberPayment gives p the next number of its direction in its fiscal
// year: RCV-2026-00001 for money received, PAY-2026-00001 for money paid.
func (s *Service) numberPayment(ctx context.Context, tx *sqldb.Tx, p *Payment) error {
	year, err := fiscalYear(ctx, tx, p.CompanyID, p.Date)
	if err != nil {
		return err
	}
	var last int64
	err = tx.QueryRowContext(ctx, `INSERT INTO payment_sequences (company_id, kind, year, last_number) VALUES (?, ?, ?, 1)
		ON CONFLICT (company_id, kind, year) DO UPDATE SET last_number = payment_sequences.last_number + 1
		RETURNING last_number`, int64(p.CompanyID), string(p.Direction), year).Scan(&last)
	if err != nil {
		return fmt.Errorf("number payment: %w", err)
	}
	prefix := "RCV"
	if p.Direction == Paid {
		prefix = "PAY"
	}
	p.Number = fmt.Sprintf("%s-%d-%05d", prefix, year, last)
	return nil
}

// paymentLedgerError turns the ledger's refusal into the payment's terms.
func paymentLedgerError(err error) error {
	var e *backoffice.Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Fields = map[string]string{}
	for k, m := range e.Fields {
		if k != "date" {
			k = "entry." + k
		}
		out.Fields[k] = m
	}
	if e.Code == backoffice.EInvalid {
		out.Message = "the ledger refused the payment's entry: " + e.Message
	}
	return &out
}

// paymentFields are the values the change log records of a payment.
func paymentFields(p Payment) map[string]any {
	allocs := make([]string, len(p.Allocations))
	for i, a := range p.Allocations {
		allocs[i] = fmt.Sprintf("%s %s", cmpOr(a.DocumentNumber, a.PaymentNumber), backoffice.FormatMinor(a.Amount, p.Currency.Exponent()))
		if a.Discount != 0 {
			allocs[i] += " discount " + backoffice.FormatMinor(a.Discount, p.Currency.Exponent())
		}
	}
	exp := p.Currency.Exponent()
	f := map[string]any{"number": p.Number, "direction": p.Direction, "state": p.State, "party": p.PartyName, "party_id": p.PartyID, "date": p.Date,
		"account": p.AccountCode, "currency": p.Currency, "amount": backoffice.FormatMinor(p.Amount, exp), "reference": p.Reference, "allocations": allocs,
		"unallocated": backoffice.FormatMinor(p.Unallocated, exp), "write_off": backoffice.FormatMinor(p.WriteOff, exp), "entry_id": p.EntryID}
	if p.Rate != "" {
		f["rate"] = p.Rate
	}
	if p.EndToEndID != "" {
		f["end_to_end_id"] = p.EndToEndID
	}
	if p.RunID != 0 {
		f["run_id"] = p.RunID
	}
	return f
}
