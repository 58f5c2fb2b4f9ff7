package ofx

import (
	"fmt"
	"regexp"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

type builder struct {
	res *statement.Result
}

func (b *builder) warn(line int, format string, args ...any) {
	b.res.Warnings = append(b.res.Warnings, statement.Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

// signonStatus warns when the server refused the sign-on.
func (b *builder) signonStatus(root *node) {
	for _, s := range root.all("SONRS", nil) {
		b.status(s, "sign-on")
	}
}

// transactionStatus warns when a statement request failed.
func (b *builder) transactionStatus(rs *node) { b.status(rs, "statement") }

func (b *builder) status(n *node, what string) {
	st := n.child("STATUS")
	if code := strings.TrimSpace(st.get("CODE")); st != nil && code != "" && code != "0" {
		b.warn(st.line, "%s failed with OFX status %s: %s", what, code, st.get("MESSAGE"))
	}
}

var (
	ibanShape = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)
	bicShape  = regexp.MustCompile(`^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$`)
)

// statement reads one STMTRS or CCSTMTRS.
func (b *builder) statement(rs *node) statement.Statement {
	cur := b.currency(rs.child("CURDEF"), "")
	if cur == "" {
		b.warn(rs.line, "the statement has no CURDEF currency; its amounts are read with 2 decimals")
	}
	st := statement.Statement{Account: account(rs), Entries: []statement.Entry{}}
	st.Account.Currency = cur
	list := rs.child("BANKTRANLIST")
	st.FromDate = b.date(list.child("DTSTART"))
	st.ToDate = b.date(list.child("DTEND"))
	if lb := rs.child("LEDGERBAL"); lb != nil {
		st.ClosingBalance = b.balance(lb, cur)
	}
	if list != nil {
		for _, tr := range list.all("STMTTRN", nil) {
			if e, ok := b.entry(tr, cur); ok {
				st.Entries = append(st.Entries, e)
			}
		}
	}
	return st
}

// account reads BANKACCTFROM or CCACCTFROM as the package comment describes.
func account(rs *node) statement.Account {
	from := rs.child("BANKACCTFROM")
	if from == nil {
		from = rs.child("CCACCTFROM")
	}
	var a statement.Account
	acct := strings.TrimSpace(from.get("ACCTID"))
	if compact := strings.ToUpper(strings.ReplaceAll(acct, " ", "")); ibanShape.MatchString(compact) {
		a.IBAN = compact
	}
	bank := strings.TrimSpace(from.get("BANKID"))
	if bicShape.MatchString(strings.ToUpper(bank)) {
		a.BIC, bank = strings.ToUpper(bank), ""
	}
	if a.IBAN == "" {
		var parts []string
		for _, p := range []string{bank, strings.TrimSpace(from.get("BRANCHID")), acct} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		a.Number = strings.Join(parts, "/")
	}
	return a
}

// currency reads a currency code; an empty or unknown one falls back to def
// (the statement's CURDEF) with a warning for the unknown case.
func (b *builder) currency(n *node, def backoffice.Currency) backoffice.Currency {
	if n == nil || strings.TrimSpace(n.text) == "" {
		return def
	}
	c, err := backoffice.ParseCurrency(n.text)
	if err != nil {
		b.warn(n.line, "%s", backoffice.ErrorMessage(err))
		return def
	}
	return c
}

func (b *builder) balance(lb *node, cur backoffice.Currency) *statement.Balance {
	amt := lb.child("BALAMT")
	if amt == nil || strings.TrimSpace(amt.text) == "" {
		b.warn(lb.line, "ledger balance has no amount; the closing balance is left empty")
		return nil
	}
	minor, err := parseAmount(amt.text, cur)
	if err != nil {
		b.warn(amt.line, "ledger balance not read: %s", backoffice.ErrorMessage(err))
		return nil
	}
	return &statement.Balance{Amount: backoffice.Money{Amount: minor, Currency: cur}, Date: b.date(lb.child("DTASOF"))}
}

// date reads an OFX date leaf; a bad one is a warning and the zero date.
func (b *builder) date(n *node) backoffice.Date {
	if n == nil || strings.TrimSpace(n.text) == "" {
		return backoffice.Date{}
	}
	d, err := parseDate(n.text)
	if err != nil {
		b.warn(n.line, "%s", backoffice.ErrorMessage(err))
	}
	return d
}

// entry reads one STMTTRN. An entry without a readable amount or posting
// date is skipped with a warning.
func (b *builder) entry(tr *node, stmtCur backoffice.Currency) (statement.Entry, bool) {
	cur := stmtCur
	if c := tr.child("CURRENCY"); c != nil {
		cur = b.currency(c.child("CURSYM"), stmtCur)
	}
	amt := tr.get("TRNAMT")
	minor, err := parseAmount(amt, cur)
	if err != nil {
		b.warn(tr.line, "transaction %s skipped: %s", tr.get("FITID"), backoffice.ErrorMessage(err))
		return statement.Entry{}, false
	}
	posted := b.date(tr.child("DTPOSTED"))
	if posted.IsZero() {
		b.warn(tr.line, "transaction %s skipped: it has no valid posting date (DTPOSTED)", tr.get("FITID"))
		return statement.Entry{}, false
	}
	e := statement.Entry{
		BookingDate: posted, ValueDate: posted,
		Amount:        backoffice.Money{Amount: minor, Currency: cur},
		BankReference: strings.TrimSpace(tr.get("FITID")),
		BankTxCode:    strings.ToUpper(strings.TrimSpace(tr.get("TRNTYPE"))),
		Counterparty:  statement.Party{Name: collapse(firstNonEmpty(tr.get("NAME"), tr.get("PAYEE", "NAME")))},
		Remittance:    remittance(tr),
	}
	if user := tr.child("DTUSER"); user != nil && strings.TrimSpace(user.text) != "" {
		e.ValueDate = b.date(user)
	}
	return e, true
}

// remittance is MEMO, then the check and reference numbers.
func remittance(tr *node) string {
	parts := []string{}
	if m := collapse(tr.get("MEMO")); m != "" {
		parts = append(parts, m)
	}
	if c := strings.TrimSpace(tr.get("CHECKNUM")); c != "" {
		parts = append(parts, "check "+c)
	}
	if r := strings.TrimSpace(tr.get("REFNUM")); r != "" {
		parts = append(parts, "ref "+r)
	}
	return strings.Join(parts, "; ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
