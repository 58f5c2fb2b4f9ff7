package invoice

import (
	"context"
	"fmt"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/ledger"
	"backoffice/party"
)

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
