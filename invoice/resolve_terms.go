package invoice

import (
	"fmt"

	"backoffice"
	"backoffice/ledger"
	"backoffice/party"
)

// allowances resolves the document-level allowances and charges.
func (r *resolver) allowances(in Input, d *Document) error {
	v := r.v
	v.Check(len(in.Allowances) <= maxAllowances, "allowances", fmt.Sprintf("a document takes at most %d allowances and charges", maxAllowances))
	shared := sharedPrimaryCode(d.Lines, r.codes)
	for i, ai := range in.Allowances {
		f := fmt.Sprintf("allowances[%d].", i)
		a := Allowance(ai)
		v.Check(a.Amount > 0 && a.Amount <= maxAmount, f+"amount", "must be more than zero")
		v.Check(a.Reason != "" && len([]rune(a.Reason)) <= 500, f+"reason", "is required (1 to 500 characters), as EN 16931 requires")
		if a.TaxCode == "" {
			a.TaxCode = shared
		}
		if a.TaxCode == "" {
			v.Add(f+"tax_code", "is required when the lines have different tax codes")
		} else if t, ok := r.taxCode(a.TaxCode, f+"tax_code"); ok && t.Type == TaxWithholding {
			v.Add(f+"tax_code", "must be a VAT or sales tax code")
		}
		if a.AccountID == 0 {
			code := map[[2]bool]string{{true, false}: "4030", {true, true}: "4010", {false, false}: "5020", {false, true}: "5010"}[[2]bool{d.Kind.Sales(), a.Charge}]
			id, err := r.chartAccount(code)
			if err != nil {
				return err
			}
			a.AccountID = id
		}
		if a.AccountID == 0 {
			v.Add(f+"account_id", "is required: the chart has no default account for it")
		} else if _, err := r.account(a.AccountID, f+"account_id"); err != nil {
			return err
		}
		d.Allowances = append(d.Allowances, a)
	}
	return nil
}

// sharedPrimaryCode is the VAT or sales tax code every line has, or "".
func sharedPrimaryCode(lines []Line, codes map[string]TaxCode) string {
	shared := ""
	for _, l := range lines {
		for _, c := range l.TaxCodes {
			if t, ok := codes[c]; !ok || t.Type == TaxWithholding {
				continue
			}
			if shared != "" && shared != c {
				return ""
			}
			shared = c
		}
	}
	return shared
}

// sameRates refuses two tax codes of one type, category and rate on one
// document: the EN 16931 breakdown has one row per category and rate.
func (r *resolver) sameRates(d *Document) {
	seen := map[string]string{}
	check := func(c string) {
		t, ok := r.codes[c]
		if !ok {
			return
		}
		key := fmt.Sprintf("%s/%s/%d", t.Type, t.Category, t.Rate)
		if other, ok := seen[key]; ok && other != c {
			r.v.Add("lines", fmt.Sprintf("tax codes %s and %s have the same category and rate: use one of them on a document", other, c))
		}
		seen[key] = c
	}
	for _, l := range d.Lines {
		for _, c := range l.TaxCodes {
			check(c)
		}
	}
	for _, a := range d.Allowances {
		check(a.TaxCode)
	}
}

// terms sets the due date, installments, early-payment discount and the
// payment terms text, from the input or the party's terms.
func (r *resolver) terms(in Input, p *party.Party, d *Document) {
	v := r.v
	// A credit note or refund is due at once and earns no early-payment
	// discount: the party's terms are for what they owe or we owe them.
	var t party.Terms
	if p != nil && !d.Kind.Credit() {
		t = p.Terms
	}
	d.DueDate = in.DueDate
	if d.DueDate.IsZero() && len(in.Installments) > 0 {
		d.DueDate = in.Installments[len(in.Installments)-1].DueDate
	}
	if d.DueDate.IsZero() && !d.IssueDate.IsZero() {
		d.DueDate = d.IssueDate.AddDays(t.NetDays)
	}
	v.Check(!d.DueDate.Before(d.IssueDate), "due_date", "must not be before the issue date")
	d.EarlyDiscountPercent, d.EarlyDiscountDays = in.EarlyDiscountPercent, in.EarlyDiscountDays
	if d.EarlyDiscountPercent == 0 && d.EarlyDiscountDays == 0 {
		d.EarlyDiscountPercent, d.EarlyDiscountDays = Percent(t.DiscountBasisPoints*100), t.DiscountDays
	}
	v.Check(d.EarlyDiscountPercent >= 0 && d.EarlyDiscountPercent < 100*fixedScale, "early_discount_percent", "must be at least 0 and below 100")
	v.Check(d.EarlyDiscountDays >= 0 && d.EarlyDiscountDays <= d.IssueDate.DaysUntil(d.DueDate), "early_discount_days", "must be 0 up to the days until the due date")
	v.Check(d.EarlyDiscountPercent == 0 || d.EarlyDiscountDays > 0, "early_discount_days", "must be given with an early-payment discount")
	d.PaymentTerms = in.PaymentTerms
	if d.PaymentTerms == "" && !d.IssueDate.IsZero() {
		d.PaymentTerms = fmt.Sprintf("Net %d days", d.IssueDate.DaysUntil(d.DueDate))
		if d.EarlyDiscountPercent > 0 {
			d.PaymentTerms = fmt.Sprintf("%s %% discount if paid within %d days, net %d days", d.EarlyDiscountPercent, d.EarlyDiscountDays, d.IssueDate.DaysUntil(d.DueDate))
		}
	}
	if len(in.Installments) == 0 {
		d.Installments = []Installment{{DueDate: d.DueDate, Amount: d.Totals.Payable}}
		return
	}
	var sum int64
	prev := d.IssueDate
	for i, it := range in.Installments {
		f := fmt.Sprintf("installments[%d].", i)
		v.Check(it.Amount > 0, f+"amount", "must be more than zero")
		v.Check(!it.DueDate.IsZero() && !it.DueDate.Before(prev), f+"due_date", "must be on or after the issue date and the installment before")
		prev = it.DueDate
		sum += it.Amount
		d.Installments = append(d.Installments, Installment{DueDate: it.DueDate, Amount: it.Amount})
	}
	v.Check(sum == d.Totals.Payable, "installments", fmt.Sprintf("must add up to the amount payable %s (they add up to %s)",
		backoffice.FormatMinor(d.Totals.Payable, d.Currency.Exponent()), backoffice.FormatMinor(sum, d.Currency.Exponent())))
	v.Check(in.DueDate.IsZero() || in.DueDate == prev, "due_date", "must be the last installment's due date")
}

// credits checks the document a credit note or refund credits: a posted
// document of the matching kind, party and currency, with enough left.
func (r *resolver) credits(in Input, d *Document) error {
	if in.CreditsID == 0 {
		return nil
	}
	if !d.Kind.Credit() {
		r.v.Add("credits_id", "is only for credit notes and refunds")
		return nil
	}
	orig, err := getDocument(r.ctx, r.s.DB, r.company, in.CreditsID)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		r.v.Add("credits_id", "is not a document of this company")
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case orig.Kind != d.Kind.Credits():
		r.v.Add("credits_id", fmt.Sprintf("a %s credits a %s, not a %s", d.Kind, d.Kind.Credits(), orig.Kind))
	case orig.State == StateDraft:
		r.v.Add("credits_id", "is a draft: delete or change it instead")
	case orig.PartyID != d.PartyID:
		r.v.Add("credits_id", fmt.Sprintf("%s belongs to another party", orig.Number))
	case orig.Currency != d.Currency:
		r.v.Add("credits_id", fmt.Sprintf("%s is in %s", orig.Number, orig.Currency))
	default:
		left, err := remaining(r.ctx, r.s.DB, orig, d.ID)
		if err != nil {
			return err
		}
		if d.Totals.Payable > left {
			r.v.Add("credits_id", fmt.Sprintf("this credit of %s is larger than what remains of %s: %s",
				backoffice.FormatMinor(d.Totals.Payable, d.Currency.Exponent()), orig.Number, backoffice.FormatMinor(left, d.Currency.Exponent())))
		}
	}
	return nil
}

// checkLock refuses a document dated in a closed period of its journal.
func checkLock(locks []ledger.LockDate, d *Document) error {
	jt := journalType(d.Kind)
	for _, l := range locks {
		if (l.JournalType == "" || l.JournalType == jt) && !d.IssueDate.After(l.Date) {
			return &backoffice.Error{Code: backoffice.EPeriodClosed,
				Message: fmt.Sprintf("%s is in a closed period: the books are locked until %s", d.IssueDate, l.Date),
				Fields:  map[string]string{"issue_date": fmt.Sprintf("is in a closed period (locked until %s)", l.Date)}}
		}
	}
	return nil
}

// journalType is the ledger journal type a kind posts to.
func journalType(k Kind) string {
	if k.Sales() {
		return "sales"
	}
	return "purchases"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
