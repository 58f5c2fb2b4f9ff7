package camt

import (
	"strings"

	"backoffice/bank/statement"
)

// detail fills e from one TxDtls: references, counterparty, remittance and,
// when the transaction has its own, the bank transaction code. credit is the
// direction of the money on the account; info is the entry's AddtlNtryInf,
// the remittance of last resort.
func (r *entryReader) detail(e statement.Entry, tx *node, credit, reversed bool, info string) statement.Entry {
	refs := tx.child("Refs")
	e.EndToEndID = reference(refs.str("EndToEndId"))
	e.MandateID = reference(refs.str("MndtId"))
	if ref := reference(refs.str("AcctSvcrRef")); ref != "" {
		e.BankReference = ref
	}
	if code := txCode(tx.child("BkTxCd")); code != "" {
		e.BankTxCode = code
	}
	// The parties of a reversal or a return are those of the original
	// payment, which went the other way.
	if reversed || tx.child("RtrInf") != nil {
		credit = !credit
	}
	first, second := "Cdtr", "Dbtr"
	if credit {
		first, second = "Dbtr", "Cdtr"
	}
	e.Counterparty = party(tx, first)
	// Banks mislabel sides; a side that is empty or is this very account is
	// not the counterparty, so the other side is taken when it is neither.
	if e.Counterparty == (statement.Party{}) || r.own(e.Counterparty) {
		if other := party(tx, second); other != (statement.Party{}) && !r.own(other) {
			e.Counterparty = other
		}
	}
	e.CreditorID = creditorID(tx)
	e.Remittance = remittance(tx)
	if e.Remittance == "" {
		e.Remittance = tx.str("AddtlTxInf")
	}
	if e.Remittance == "" {
		e.Remittance = info
	}
	return e
}

// party reads one side of a transaction: role is "Dbtr" or "Cdtr". The name
// is at Dbtr/Nm up to .001.07 and at Dbtr/Pty/Nm (or Dbtr/Agt for a bank)
// from .001.08; the ultimate party's name stands in when the direct one has
// none. The BIC is the party's agent's: BIC up to .001.03, BICFI later.
func party(tx *node, role string) statement.Party {
	rp := tx.child("RltdPties")
	return statement.Party{
		Name: rp.first([]string{role, "Nm"}, []string{role, "Pty", "Nm"}, []string{role, "Agt", "FinInstnId", "Nm"},
			[]string{"Ultmt" + role, "Nm"}, []string{"Ultmt" + role, "Pty", "Nm"}),
		IBAN: strings.ReplaceAll(rp.str(role+"Acct", "Id", "IBAN"), " ", ""),
		BIC: tx.first([]string{"RltdAgts", role + "Agt", "FinInstnId", "BICFI"}, []string{"RltdAgts", role + "Agt", "FinInstnId", "BIC"},
			[]string{"RltdPties", role, "Agt", "FinInstnId", "BICFI"}),
	}
}

// creditorID finds the SEPA creditor identifier: the creditor's private or
// organisation id whose scheme is "SEPA" (the German DK and EPC usage), or a
// CdtrSchmeId block where a bank writes one.
func creditorID(tx *node) string {
	if id := tx.str("CdtrSchmeId", "Id", "PrvtId", "Othr", "Id"); id != "" {
		return id
	}
	for _, cdtr := range []*node{tx.at("RltdPties", "Cdtr"), tx.at("RltdPties", "Cdtr", "Pty")} {
		for _, kind := range []string{"PrvtId", "OrgId"} {
			for _, othr := range cdtr.at("Id", kind).children("Othr") {
				if strings.EqualFold(othr.str("SchmeNm", "Prtry"), "SEPA") {
					return othr.str("Id")
				}
			}
		}
	}
	return ""
}

// remittance joins the unstructured lines (Ustrd) with a space. Structured
// creditor references (Strd/CdtrRefInf/Ref, such as an RF or ISR reference)
// are appended when the text does not already hold them, because they are
// what a payment is matched on; without Ustrd they, and any AddtlRmtInf,
// are the remittance.
func remittance(tx *node) string {
	rmt := tx.child("RmtInf")
	var lines, refs []string
	for _, u := range rmt.children("Ustrd") {
		if s := strings.TrimSpace(u.text.String()); s != "" {
			lines = append(lines, s)
		}
	}
	text := strings.Join(lines, " ")
	for _, s := range rmt.children("Strd") {
		if ref := s.str("CdtrRefInf", "Ref"); ref != "" && !strings.Contains(text, ref) {
			refs = append(refs, ref)
		}
		if text == "" {
			for _, a := range s.children("AddtlRmtInf") {
				if t := strings.TrimSpace(a.text.String()); t != "" {
					refs = append(refs, t)
				}
			}
		}
	}
	return strings.TrimSpace(strings.Join(append([]string{text}, refs...), " "))
}

// own reports whether p is the statement's own account.
func (r *entryReader) own(p statement.Party) bool {
	return p.IBAN != "" && strings.EqualFold(p.IBAN, r.ownIBAN)
}
