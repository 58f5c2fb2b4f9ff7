package pain

import (
	"fmt"
	"io"
	"time"

	"backoffice"
)

// DirectDebit is one pain.008 file: collections into one creditor account.
type DirectDebit struct {
	MessageID    string // GrpHdr/MsgId, unique per file; at most 30 characters
	CreationTime time.Time
	Initiator    Party // defaults to the creditor's name
	Creditor     Creditor
	// LocalInstrument is the scheme: "CORE" (consumers and businesses) or
	// "B2B" (businesses only, no refund right). Empty means CORE.
	LocalInstrument string
	// RequestedCollectionDate applies to every collection without its own.
	RequestedCollectionDate backoffice.Date
	BatchBooking            bool
	Collections             []Collection
}

// Creditor is the collecting company: its account and SEPA creditor identifier.
type Creditor struct {
	Account
	CreditorID string // e.g. DE98ZZZ09999999999; its check digits are verified
}

// Collection is one direct debit transaction under a signed mandate.
type Collection struct {
	EndToEndID           string
	Amount               int64 // cents, more than zero
	Currency             backoffice.Currency
	Debtor               Account
	MandateID            string
	MandateSignatureDate backoffice.Date
	// SequenceType is FRST (first of a recurring mandate), RCUR, FNAL (last)
	// or OOFF (one-off).
	SequenceType   string
	Remittance     string
	CollectionDate backoffice.Date // zero: the file's RequestedCollectionDate
}

var sequenceTypes = map[string]bool{"FRST": true, "RCUR": true, "FNAL": true, "OOFF": true}

// WriteDirectDebit checks dd and writes it as a pain.008 document of version
// v (DirectDebit02 or DirectDebit08): one PmtInf per sequence type and
// collection date, as the scheme requires, ordered by date then sequence
// type. Nothing is written when dd is invalid.
func WriteDirectDebit(w io.Writer, dd DirectDebit, v Version) error {
	if v != DirectDebit02 && v != DirectDebit08 {
		return backoffice.Errorf(backoffice.EUnsupported, "direct debits are written as %s or %s, not %q", DirectDebit02, DirectDebit08, v)
	}
	dd, err := dd.checked()
	if err != nil {
		return err
	}
	var all []int64
	groups := groupBy(dd.Collections, func(c Collection) string { return c.CollectionDate.String() + " " + c.SequenceType })
	body := el("CstmrDrctDbtInitn")
	for i, g := range groups {
		amounts := make([]int64, len(g))
		for j, c := range g {
			amounts[j] = c.Amount
		}
		all = append(all, amounts...)
		pmt := el("PmtInf",
			leaf("PmtInfId", fmt.Sprintf("%s-%d", dd.MessageID, i+1)),
			leaf("PmtMtd", "DD"),
			leaf("BtchBookg", fmt.Sprint(dd.BatchBooking)),
			leaf("NbOfTxs", fmt.Sprint(len(g))),
			leaf("CtrlSum", decimal(sumCents(amounts))),
			el("PmtTpInf",
				el("SvcLvl", leaf("Cd", "SEPA")),
				el("LclInstrm", leaf("Cd", dd.LocalInstrument)),
				leaf("SeqTp", g[0].SequenceType)),
			leaf("ReqdColltnDt", g[0].CollectionDate.String()),
			el("Cdtr", leaf("Nm", dd.Creditor.Name)),
			account("CdtrAcct", dd.Creditor.IBAN),
			agent("CdtrAgt", v, dd.Creditor.BIC),
			leaf("ChrgBr", "SLEV"),
			el("CdtrSchmeId", el("Id", el("PrvtId", el("Othr",
				leaf("Id", dd.Creditor.CreditorID),
				el("SchmeNm", leaf("Prtry", "SEPA")))))))
		for _, c := range g {
			pmt.add(debitTransaction(v, c))
		}
		body.add(pmt)
	}
	hdr := el("GrpHdr",
		leaf("MsgId", dd.MessageID),
		leaf("CreDtTm", isoDateTime(dd.CreationTime)),
		leaf("NbOfTxs", fmt.Sprint(len(all))),
		leaf("CtrlSum", decimal(sumCents(all))),
		initiatingParty(dd.Initiator.Name, dd.Initiator.ID))
	body.kids = append([]*elem{hdr}, body.kids...)
	return write(w, v, body)
}

func debitTransaction(v Version, c Collection) *elem {
	amt := leaf("InstdAmt", decimal(c.Amount))
	amt.attrs = ccy(c.Currency)
	return el("DrctDbtTxInf",
		el("PmtId", leaf("EndToEndId", c.EndToEndID)),
		amt,
		el("DrctDbtTx", el("MndtRltdInf",
			leaf("MndtId", c.MandateID),
			leaf("DtOfSgntr", c.MandateSignatureDate.String()))),
		agent("DbtrAgt", v, c.Debtor.BIC),
		el("Dbtr", leaf("Nm", c.Debtor.Name)),
		account("DbtrAcct", c.Debtor.IBAN)).
		add(remittance(c.Remittance, ""))
}

// checked validates dd and returns it normalised, like CreditTransfer.checked.
func (dd DirectDebit) checked() (DirectDebit, error) {
	v := backoffice.Validation{}
	checkID(v, "message_id", dd.MessageID, maxID-5)
	if dd.CreationTime.IsZero() {
		v.Add("creation_time", "is required")
	}
	dd.Creditor.Account = checkAccount(v, "creditor", dd.Creditor.Account, false)
	dd.Creditor.CreditorID = normalizeIBAN(dd.Creditor.CreditorID)
	if msg := checkCreditorID(dd.Creditor.CreditorID); msg != "" {
		v.Add("creditor.creditor_id", msg)
	}
	if dd.Initiator.Name == "" {
		dd.Initiator.Name = dd.Creditor.Name
	}
	dd.Initiator.Name = checkText(v, "initiator.name", dd.Initiator.Name, maxName, true)
	if dd.Initiator.ID != "" {
		checkID(v, "initiator.id", dd.Initiator.ID, maxID)
	}
	if dd.LocalInstrument == "" {
		dd.LocalInstrument = "CORE"
	}
	if dd.LocalInstrument != "CORE" && dd.LocalInstrument != "B2B" {
		v.Add("local_instrument", fmt.Sprintf("is %q; it is CORE or B2B", dd.LocalInstrument))
	}
	switch n := len(dd.Collections); {
	case n == 0:
		v.Add("collections", "a direct debit needs at least one collection")
	case n > maxTransactions:
		v.Add("collections", fmt.Sprintf("%d collections are more than one file may hold (%d)", n, maxTransactions))
	}
	out := make([]Collection, len(dd.Collections))
	seen := map[string]int{}
	for i, c := range dd.Collections {
		f := fmt.Sprintf("collections[%d]", i)
		checkID(v, f+".end_to_end_id", c.EndToEndID, maxID)
		if j, dup := seen[c.EndToEndID]; dup && c.EndToEndID != "" {
			v.Add(f+".end_to_end_id", fmt.Sprintf("%q is also the id of collection %d; each collection needs its own", c.EndToEndID, j+1))
		}
		seen[c.EndToEndID] = i
		checkAmount(v, f, c.Amount, c.Currency)
		c.Debtor = checkAccount(v, f+".debtor", c.Debtor, false)
		checkID(v, f+".mandate_id", c.MandateID, maxID)
		if c.MandateSignatureDate.IsZero() {
			v.Add(f+".mandate_signature_date", "is required")
		}
		if !sequenceTypes[c.SequenceType] {
			v.Add(f+".sequence_type", fmt.Sprintf("is %q; it is FRST, RCUR, FNAL or OOFF", c.SequenceType))
		}
		c.Remittance = checkText(v, f+".remittance", c.Remittance, maxRemittance, false)
		if c.CollectionDate.IsZero() {
			c.CollectionDate = dd.RequestedCollectionDate
		}
		switch {
		case c.CollectionDate.IsZero():
			v.Add(f+".collection_date", "is required: set the file's requested collection date or the collection's")
		case c.MandateSignatureDate.After(c.CollectionDate):
			v.Add(f+".mandate_signature_date", fmt.Sprintf("%s is after the collection date %s; a mandate must be signed before it is used", c.MandateSignatureDate, c.CollectionDate))
		}
		out[i] = c
	}
	dd.Collections = out
	return dd, named(v.Err("direct debit"), "collections", "collection", dd.Collections, func(c Collection) string { return c.EndToEndID })
}
