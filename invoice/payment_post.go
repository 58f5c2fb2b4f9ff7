package invoice

import (
	"context"
	"errors"
	"fmt"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/party"
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

// paymentPlan is a payment checked against everything that does not change
// while it posts: party, accounts, journal, documents.
type paymentPlan struct {
	in           PaymentInput
	companyID    backoffice.ID
	base         backoffice.Currency
	rate         decimal.Decimal
	party        party.Party
	account      ledger.Account
	journalID    backoffice.ID
	partyAccount backoffice.ID // where the party's credit goes without allocations
	writeOff     backoffice.ID
	tolerance    int64
	targets      []allocTarget
}

// allocTarget is what one allocation settles: the open-item lines of a
// document (its installments) or an earlier payment's credit line.
type allocTarget struct {
	refs     []ledger.LineRef
	label    string
	discount backoffice.ID // discount account, when a discount is taken
	document backoffice.ID
	payment  backoffice.ID
	dueDate  backoffice.Date
}

// planPayment validates the input and reads what posting needs.
func (s *Service) planPayment(ctx context.Context, companyID backoffice.ID, in PaymentInput) (*paymentPlan, error) {
	in.normalise()
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	v := backoffice.Validation{}
	plan := &paymentPlan{companyID: companyID, base: base}
	plan.rate = in.check(base, v)
	if in.PartyID != 0 {
		p, err := s.Party.Get(ctx, companyID, in.PartyID)
		switch {
		case backoffice.ErrorCode(err) == backoffice.ENotFound:
			v.Add("party_id", "is not a customer or supplier of this company")
		case err != nil:
			return nil, err
		default:
			plan.party = p
		}
	}
	if err := s.planAccounts(ctx, plan, &in, v); err != nil {
		return nil, err
	}
	st, err := paymentSettings(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	plan.tolerance = st.WriteOffTolerance
	plan.in = in
	if plan.party.ID != 0 {
		for i, a := range in.Allocations {
			t, err := s.planTarget(ctx, plan, a, fmt.Sprintf("allocations[%d].", i), v)
			if err != nil {
				return nil, err
			}
			plan.targets = append(plan.targets, t)
		}
	}
	if err := v.Err("payment"); err != nil {
		return nil, err
	}
	return plan, nil
}

// planAccounts checks the bank or cash account and the write-off account
// and finds the journal and the party's default account.
func (s *Service) planAccounts(ctx context.Context, plan *paymentPlan, in *PaymentInput, v backoffice.Validation) error {
	a, err := s.accountOf(ctx, plan.companyID, in.AccountID, v, "account_id")
	if err != nil {
		return err
	}
	if a != nil {
		code := map[string]string{"bank": "BNK", "cash": "CSH"}[a.Subtype]
		switch {
		case code == "":
			v.Add("account_id", fmt.Sprintf("account %s is not a bank or cash account", a.Code))
		case a.Currency != "" && in.Currency != "" && a.Currency != in.Currency:
			v.Add("currency", fmt.Sprintf("account %s holds only %s", a.Code, a.Currency))
		default:
			j, err := s.Ledger.JournalByCode(ctx, plan.companyID, code)
			if err != nil {
				return fmt.Errorf("journal %s: %w", code, err)
			}
			plan.account, plan.journalID = *a, j.ID
		}
	}
	if in.WriteOff != nil {
		w, err := s.accountOf(ctx, plan.companyID, in.WriteOff.AccountID, v, "write_off.account_id")
		if err != nil {
			return err
		}
		if w != nil {
			plan.writeOff = w.ID
		}
	}
	if plan.party.ID == 0 {
		return nil
	}
	sales := plan.party.Kind == party.KindCustomer || (plan.party.Kind == party.KindBoth && in.Direction == Received)
	code := "2010"
	plan.partyAccount = plan.party.PayableAccountID
	if sales {
		plan.partyAccount, code = plan.party.ReceivableAccountID, "1200"
	}
	if plan.partyAccount == 0 {
		acc, err := s.Ledger.AccountByCode(ctx, plan.companyID, code)
		if err != nil {
			return fmt.Errorf("default party account %s: %w", code, err)
		}
		plan.partyAccount = acc.ID
	}
	return nil
}

// planTarget checks one allocation's document or earlier payment.
func (s *Service) planTarget(ctx context.Context, plan *paymentPlan, a AllocationInput, f string, v backoffice.Validation) (allocTarget, error) {
	if a.PaymentID != 0 {
		p, err := getPayment(ctx, s.DB, plan.companyID, a.PaymentID)
		switch {
		case backoffice.ErrorCode(err) == backoffice.ENotFound:
			v.Add(f+"payment_id", "is not a payment of this company")
		case err != nil:
			return allocTarget{}, err
		case p.PartyID != plan.party.ID:
			v.Add(f+"payment_id", fmt.Sprintf("payment %s belongs to %s, not to %s", p.Number, p.PartyName, plan.party.Name()))
		case p.State != PaymentPosted || p.UnallocatedLine == 0:
			v.Add(f+"payment_id", fmt.Sprintf("payment %s left no credit to settle", p.Number))
		case p.Currency != plan.in.Currency:
			v.Add(f+"payment_id", fmt.Sprintf("payment %s is in %s; register this one in %s", p.Number, p.Currency, p.Currency))
		default:
			return allocTarget{refs: []ledger.LineRef{{EntryID: p.EntryID, LineNo: p.UnallocatedLine}}, label: p.Number, payment: p.ID}, nil
		}
		return allocTarget{}, nil
	}
	d, err := getDocument(ctx, s.DB, plan.companyID, a.DocumentID)
	switch {
	case backoffice.ErrorCode(err) == backoffice.ENotFound:
		v.Add(f+"document_id", "is not a document of this company")
	case err != nil:
		return allocTarget{}, err
	case d.PartyID != plan.party.ID:
		v.Add(f+"document_id", fmt.Sprintf("%s belongs to %s, not to %s", cmpOr(d.Number, "the draft"), d.PartyName, plan.party.Name()))
	case d.State == StateDraft:
		v.Add(f+"document_id", "is a draft: post it before allocating a payment to it")
	case d.Currency != plan.in.Currency:
		v.Add(f+"document_id", fmt.Sprintf("%s is in %s: register the payment in %s with its rate", d.Number, d.Currency, d.Currency))
	default:
		t := allocTarget{label: d.Number, document: d.ID, dueDate: d.DueDate}
		for _, l := range d.EntryLines() {
			t.refs = append(t.refs, ledger.LineRef{EntryID: d.EntryID, LineNo: l})
		}
		if a.Discount > 0 {
			if err := s.planDiscount(ctx, plan, d, a, f, v, &t); err != nil {
				return allocTarget{}, err
			}
		}
		return t, nil
	}
	return allocTarget{}, nil
}

// planDiscount checks an early-payment discount against the document's
// terms and finds the account it is posted to.
func (s *Service) planDiscount(ctx context.Context, plan *paymentPlan, d Document, a AllocationInput, f string, v backoffice.Validation, t *allocTarget) error {
	allowed, ok := EarlyDiscount(d, plan.in.Date)
	switch {
	case !ok:
		v.Add(f+"discount", fmt.Sprintf("%s gives no early-payment discount on %s", d.Number, plan.in.Date))
		return nil
	case a.Discount > allowed:
		v.Add(f+"discount", fmt.Sprintf("is more than the early-payment discount of %s (%s)", d.Number, backoffice.FormatMinor(allowed, d.Currency.Exponent())))
		return nil
	}
	code := "5020"
	if d.Kind.Sales() {
		code = "4030"
	}
	acc, err := s.Ledger.AccountByCode(ctx, plan.companyID, code)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		v.Add(f+"discount", fmt.Sprintf("the chart has no discount account %s to post the discount to", code))
		return nil
	}
	if err != nil {
		return err
	}
	t.discount = acc.ID
	return nil
}

// EarlyDiscount is the early-payment discount a document gives when paid
// in full on day, and whether it gives one then: its percentage of the
// amount payable, while day is within its discount days after the issue date.
func EarlyDiscount(d Document, day backoffice.Date) (int64, bool) {
	if d.EarlyDiscountPercent <= 0 || d.EarlyDiscountDays <= 0 || day.After(d.IssueDate.AddDays(d.EarlyDiscountDays)) {
		return 0, false
	}
	amount, ok := mulRound(d.Totals.Payable, int64(d.EarlyDiscountPercent), percentScale)
	return amount, ok && amount > 0
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
