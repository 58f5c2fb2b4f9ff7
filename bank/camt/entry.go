package camt

import (
	"fmt"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// entryReader turns Ntry elements into entries for one statement.
type entryReader struct {
	w       *warnings
	account backoffice.Currency // the statement's currency, for amounts without Ccy
	ownIBAN string              // the statement's own account, never a counterparty
	pending int                 // PDNG and FUTR entries kept
}

// read returns the entries of one Ntry: one, or one per transaction of a
// batch booking that can be split (see split). A problem means the entry's
// amount cannot be read and the file must be refused.
func (r *entryReader) read(n *node) ([]statement.Entry, *problem) {
	if !n.closed {
		r.w.addf(n.line, "an entry is cut off by the broken XML; it was left out")
		return nil, nil
	}
	if !r.keep(n) {
		return nil, nil
	}
	indicator := n.child("CdtDbtInd")
	amount, msg := signedAmount(n.child("Amt"), indicator, r.account, "entry amount", r.w)
	if msg != "" {
		return nil, &problem{line: max(n.child("Amt").pos(), n.line), msg: msg}
	}
	base := statement.Entry{
		BookingDate:   dateOf(n.child("BookgDt"), "booking date", r.w),
		ValueDate:     dateOf(n.child("ValDt"), "value date", r.w),
		Amount:        amount,
		BankReference: reference(n.str("AcctSvcrRef")),
		BankTxCode:    txCode(n.child("BkTxCd")),
	}
	if base.BookingDate.IsZero() {
		r.w.addf(n.line, "entry of %s has no booking date", amountText(amount))
	}
	reversed := isTrue(n.str("RvslInd"))
	info := n.str("AddtlNtryInf")
	var txs []*node
	for _, d := range n.children("NtryDtls") {
		txs = append(txs, d.children("TxDtls")...)
	}
	switch len(txs) {
	case 0:
		base.Remittance = info
		return []statement.Entry{base}, nil
	case 1:
		return []statement.Entry{r.detail(base, txs[0], isCredit(indicator), reversed, info)}, nil
	}
	return r.batch(n, base, indicator, txs, reversed, info), nil
}

// batch returns the entries of a batch booking: one per transaction when
// split can divide the amount exactly, else the batch as one entry.
func (r *entryReader) batch(n *node, base statement.Entry, indicator *node, txs []*node, reversed bool, info string) []statement.Entry {
	parts, why := split(base.Amount, indicator, txs)
	if why != "" {
		r.w.addf(n.line, "entry of %s holds %d transactions but %s; it was kept as one entry", amountText(base.Amount), len(txs), why)
		base.Remittance = info
		if base.Remittance == "" {
			base.Remittance = batchLabel(n, len(txs))
		}
		return []statement.Entry{base}
	}
	credit := isCredit(indicator)
	out := make([]statement.Entry, 0, len(txs))
	for i, tx := range txs {
		e := base
		e.Amount = parts[i]
		txCredit := credit
		if ind := tx.child("CdtDbtInd"); ind != nil {
			txCredit = isCredit(ind)
		}
		out = append(out, r.detail(e, tx, txCredit, reversed, info))
	}
	return out
}

// keep applies the entry status: BOOK is kept; PDNG and FUTR are kept and
// counted; INFO is left out, since the bank says it was never booked.
// Sts is a code up to .001.08 and a Cd/Prtry choice from .001.09.
func (r *entryReader) keep(n *node) bool {
	status := strings.ToUpper(n.first([]string{"Sts", "Cd"}, []string{"Sts", "Prtry"}, []string{"Sts"}))
	switch status {
	case "BOOK":
	case "PDNG", "FUTR":
		r.pending++
	case "INFO":
		r.w.addf(n.line, "entry of %s %s has status INFO (information only, not booked); it was left out",
			n.str("Amt"), n.child("Amt").attr("Ccy"))
		return false
	case "":
		r.w.addf(n.line, "entry has no status (Sts); read as booked")
	default:
		r.w.addf(n.line, "entry has unknown status %q; read as booked", status)
	}
	return true
}

// split divides a batch booking into the amounts of its transactions. It
// gives a reason instead when that cannot be done exactly: a transaction
// without its own amount (TxDtls/Amt from .001.03, or AmtDtls/TxAmt), in
// another currency, or amounts that do not add up to the entry.
func split(total backoffice.Money, indicator *node, txs []*node) ([]backoffice.Money, string) {
	parts := make([]backoffice.Money, len(txs))
	sum := backoffice.Money{Currency: total.Currency}
	for i, tx := range txs {
		amt := tx.child("Amt")
		if amt == nil {
			amt = tx.at("AmtDtls", "TxAmt", "Amt")
		}
		if amt == nil {
			return nil, fmt.Sprintf("transaction %d has no amount of its own", i+1)
		}
		ind := tx.child("CdtDbtInd")
		if ind == nil {
			ind = indicator
		}
		m, msg := signedAmount(amt, ind, total.Currency, "transaction amount", &warnings{})
		if msg != "" {
			return nil, msg
		}
		if m.Currency != total.Currency {
			return nil, fmt.Sprintf("transaction %d is in %s, the entry in %s", i+1, m.Currency, total.Currency)
		}
		var err error
		if sum, err = sum.Add(m); err != nil {
			return nil, backoffice.ErrorMessage(err)
		}
		parts[i] = m
	}
	if sum.Amount != total.Amount {
		return nil, fmt.Sprintf("their amounts add up to %s, not to the entry's", statement.Decimal(sum))
	}
	return parts, ""
}

// batchLabel names a batch kept as one entry by its payment information id,
// the reference a payer's own batch file (pain.001/pain.008) carries.
func batchLabel(n *node, count int) string {
	id := ""
	for _, d := range n.children("NtryDtls") {
		if id = d.first([]string{"Btch", "PmtInfId"}, []string{"Btch", "MsgId"}); id != "" {
			break
		}
	}
	if id == "" {
		return fmt.Sprintf("batch of %d transactions", count)
	}
	return fmt.Sprintf("batch %s of %d transactions", id, count)
}

// txCode joins Domn/Cd, Fmly/Cd and SubFmlyCd as "PMNT/RCDT/ESCT", or gives
// the proprietary code when there is no ISO code.
func txCode(n *node) string {
	d := n.child("Domn")
	if code := d.str("Cd"); code != "" {
		parts := []string{code}
		if f := d.str("Fmly", "Cd"); f != "" {
			parts = append(parts, f)
			if s := d.str("Fmly", "SubFmlyCd"); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "/")
	}
	return n.str("Prtry", "Cd")
}

func isTrue(s string) bool {
	s = strings.ToLower(s)
	return s == "true" || s == "1"
}

func isCredit(indicator *node) bool {
	return !strings.EqualFold(strings.TrimSpace(indicatorText(indicator)), "DBIT")
}
