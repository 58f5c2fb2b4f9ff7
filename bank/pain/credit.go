package pain

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"time"

	"backoffice"
)

// CreditTransfer is one pain.001 file: payments from one debtor account.
type CreditTransfer struct {
	MessageID    string    // GrpHdr/MsgId, unique per file; at most 30 characters (the payment groups append "-n")
	CreationTime time.Time // GrpHdr/CreDtTm
	Initiator    Party     // the initiating party; defaults to the debtor's name
	Debtor       Account
	// RequestedExecutionDate applies to every payment without its own.
	RequestedExecutionDate backoffice.Date
	BatchBooking           bool // one debit on the statement per payment group instead of one per payment
	Payments               []Payment
}

// Party is the initiating party: a name and an optional identifier, such as
// the customer number the bank gave for electronic banking.
type Party struct {
	Name string
	ID   string
}

// Payment is one credit transfer transaction.
type Payment struct {
	EndToEndID string // quoted back by the creditor's bank and on statements; at most 35
	Amount     int64  // cents, more than zero
	Currency   backoffice.Currency
	Creditor   Account
	Remittance string // unstructured, at most 140 characters after transliteration
	// StructuredCreditorReference is an ISO 11649 reference ("RF18 5390 0754 7034");
	// when set it is sent instead of Remittance.
	StructuredCreditorReference string
	ExecutionDate               backoffice.Date // zero: the transfer's RequestedExecutionDate
}

// WriteCreditTransfer checks ct and writes it as a pain.001 document of
// version v (CreditTransfer03 or CreditTransfer09). Payments are grouped into
// one PmtInf per execution date, in date order, each keeping the input order.
// Nothing is written when ct is invalid.
func WriteCreditTransfer(w io.Writer, ct CreditTransfer, v Version) error {
	if v != CreditTransfer03 && v != CreditTransfer09 {
		return backoffice.Errorf(backoffice.EUnsupported, "credit transfers are written as %s or %s, not %q", CreditTransfer03, CreditTransfer09, v)
	}
	ct, err := ct.checked()
	if err != nil {
		return err
	}
	var all []int64
	groups := groupBy(ct.Payments, func(p Payment) string { return p.ExecutionDate.String() })
	body := el("CstmrCdtTrfInitn")
	for i, g := range groups {
		amounts := make([]int64, len(g))
		for j, p := range g {
			amounts[j] = p.Amount
		}
		all = append(all, amounts...)
		date := leaf("ReqdExctnDt", g[0].ExecutionDate.String())
		if v.newSchema() {
			date = el("ReqdExctnDt", leaf("Dt", g[0].ExecutionDate.String()))
		}
		pmt := el("PmtInf",
			leaf("PmtInfId", fmt.Sprintf("%s-%d", ct.MessageID, i+1)),
			leaf("PmtMtd", "TRF"),
			leaf("BtchBookg", fmt.Sprint(ct.BatchBooking)),
			leaf("NbOfTxs", fmt.Sprint(len(g))),
			leaf("CtrlSum", decimal(sumCents(amounts))),
			el("PmtTpInf", el("SvcLvl", leaf("Cd", "SEPA"))),
			date,
			el("Dbtr", leaf("Nm", ct.Debtor.Name)),
			account("DbtrAcct", ct.Debtor.IBAN),
			agent("DbtrAgt", v, ct.Debtor.BIC),
			leaf("ChrgBr", "SLEV"))
		for _, p := range g {
			pmt.add(creditTransaction(v, p))
		}
		body.add(pmt)
	}
	hdr := el("GrpHdr",
		leaf("MsgId", ct.MessageID),
		leaf("CreDtTm", isoDateTime(ct.CreationTime)),
		leaf("NbOfTxs", fmt.Sprint(len(all))),
		leaf("CtrlSum", decimal(sumCents(all))),
		initiatingParty(ct.Initiator.Name, ct.Initiator.ID))
	body.kids = append([]*elem{hdr}, body.kids...)
	return write(w, v, body)
}

func creditTransaction(v Version, p Payment) *elem {
	amt := leaf("InstdAmt", decimal(p.Amount))
	amt.attrs = ccy(p.Currency)
	tx := el("CdtTrfTxInf",
		el("PmtId", leaf("EndToEndId", p.EndToEndID)),
		el("Amt", amt))
	if p.Creditor.BIC != "" {
		tx.add(agent("CdtrAgt", v, p.Creditor.BIC))
	}
	return tx.add(
		el("Cdtr", leaf("Nm", p.Creditor.Name)),
		account("CdtrAcct", p.Creditor.IBAN),
		remittance(p.Remittance, p.StructuredCreditorReference))
}

// checked validates ct and returns it normalised: texts in the SEPA
// character set, IBANs without spaces, execution dates filled in.
func (ct CreditTransfer) checked() (CreditTransfer, error) {
	v := backoffice.Validation{}
	checkID(v, "message_id", ct.MessageID, maxID-5)
	if ct.CreationTime.IsZero() {
		v.Add("creation_time", "is required")
	}
	ct.Debtor = checkAccount(v, "debtor", ct.Debtor, false)
	if ct.Initiator.Name == "" {
		ct.Initiator.Name = ct.Debtor.Name
	}
	ct.Initiator.Name = checkText(v, "initiator.name", ct.Initiator.Name, maxName, true)
	if ct.Initiator.ID != "" {
		checkID(v, "initiator.id", ct.Initiator.ID, maxID)
	}
	switch n := len(ct.Payments); {
	case n == 0:
		v.Add("payments", "a credit transfer needs at least one payment")
	case n > maxTransactions:
		v.Add("payments", fmt.Sprintf("%d payments are more than one file may hold (%d)", n, maxTransactions))
	}
	payments := make([]Payment, len(ct.Payments))
	seen := map[string]int{}
	for i, p := range ct.Payments {
		f := fmt.Sprintf("payments[%d]", i)
		checkID(v, f+".end_to_end_id", p.EndToEndID, maxID)
		if j, dup := seen[p.EndToEndID]; dup && p.EndToEndID != "" {
			v.Add(f+".end_to_end_id", fmt.Sprintf("%q is also the id of payment %d; each payment needs its own", p.EndToEndID, j+1))
		}
		seen[p.EndToEndID] = i
		checkAmount(v, f, p.Amount, p.Currency)
		p.Creditor = checkAccount(v, f+".creditor", p.Creditor, false)
		p.Remittance = checkText(v, f+".remittance", p.Remittance, maxRemittance, false)
		if p.StructuredCreditorReference != "" {
			p.StructuredCreditorReference = normalizeIBAN(p.StructuredCreditorReference)
			if msg := checkCreditorReference(p.StructuredCreditorReference); msg != "" {
				v.Add(f+".structured_creditor_reference", msg)
			}
		}
		if p.ExecutionDate.IsZero() {
			p.ExecutionDate = ct.RequestedExecutionDate
		}
		if p.ExecutionDate.IsZero() {
			v.Add(f+".execution_date", "is required: set the transfer's requested execution date or the payment's")
		}
		payments[i] = p
	}
	ct.Payments = payments
	return ct, named(v.Err("credit transfer"), "payments", "payment", ct.Payments, func(p Payment) string { return p.EndToEndID })
}

// checkCreditorReference returns "" for a valid ISO 11649 reference ("RF"
// and two check digits before up to 21 letters or digits).
func checkCreditorReference(ref string) string {
	if len(ref) < 5 || len(ref) > 25 || ref[:2] != "RF" {
		return ref + " is not an ISO 11649 creditor reference (RF, two check digits, up to 21 letters or digits)"
	}
	for i, r := range ref {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') || i >= 2 && i < 4 && !(r >= '0' && r <= '9') {
			return ref + " is not an ISO 11649 creditor reference (RF, two check digits, up to 21 letters or digits)"
		}
	}
	if mod97(ref[4:]+ref[:4]) != 1 {
		return ref + " has wrong check digits: please check the creditor reference for a typo"
	}
	return ""
}

// groupBy splits items into groups of equal key, ordered by key, keeping the
// input order within each group.
func groupBy[T any](items []T, key func(T) string) [][]T {
	idx := map[string]int{}
	var keys []string
	var groups [][]T
	for _, it := range items {
		k := key(it)
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			keys = append(keys, k)
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], it)
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case keys[a] < keys[b]:
			return -1
		case keys[a] > keys[b]:
			return 1
		}
		return 0
	})
	out := make([][]T, len(order))
	for i, o := range order {
		out[i] = groups[o]
	}
	return out
}

// named adds the first bad item's position and id to the validation
// message, so that a user reading only the message knows which payment to
// fix: fields are named prefix[i].field, counting from 0.
func named[T any](err error, prefix, noun string, items []T, id func(T) string) error {
	e, ok := err.(*backoffice.Error)
	if !ok {
		return err
	}
	first := -1
	for f := range e.Fields {
		var i int
		if _, scanErr := fmt.Sscanf(f, prefix+"[%d]", &i); scanErr == nil && i < len(items) && (first < 0 || i < first) {
			first = i
		}
	}
	if first >= 0 {
		e.Message = fmt.Sprintf("%s, first %s %d (%s)", e.Message, noun, first+1, id(items[first]))
	}
	return e
}

func ccy(c backoffice.Currency) []xml.Attr {
	return []xml.Attr{{Name: xml.Name{Local: "Ccy"}, Value: string(c)}}
}
