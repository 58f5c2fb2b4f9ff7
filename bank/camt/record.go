package camt

import (
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// readStatement turns one Stmt, Rpt or Ntfctn into a Statement. Problems
// that make an entry unreadable come back for Parse to refuse the file.
func readStatement(rec *node, format string, w *warnings) (statement.Statement, []problem) {
	if !rec.closed {
		w.addf(rec.line, "<%s> is cut off by the broken XML; its entries up to the break were read", rec.name)
	}
	st := statement.Statement{
		ID:      rec.str("Id"),
		Account: readAccount(rec, w),
		Entries: []statement.Entry{},
	}
	if st.ID == "" {
		w.addf(rec.line, "<%s> has no <Id>; the statement has no bank id", rec.name)
	}
	period := rec.child("FrToDt")
	st.FromDate = parseDate(period.first([]string{"FrDtTm"}, []string{"FrDt"}), period.pos(), "FrToDt start", w)
	st.ToDate = parseDate(period.first([]string{"ToDtTm"}, []string{"ToDt"}), period.pos(), "FrToDt end", w)
	if st.Account.Currency == "" {
		st.Account.Currency = firstCurrency(rec)
	}
	readBalances(rec, &st, format, w)
	var bad []problem
	r := entryReader{w: w, account: st.Account.Currency, ownIBAN: st.Account.IBAN}
	for _, n := range rec.children("Ntry") {
		entries, p := r.read(n)
		if p != nil {
			bad = append(bad, *p)
			continue
		}
		st.Entries = append(st.Entries, entries...)
	}
	if r.pending > 0 {
		w.addf(rec.line, "statement %s holds %d pending (not yet booked) entr%s, included as they are", st.ID, r.pending, plural(r.pending, "y", "ies"))
	}
	return st, bad
}

// readAccount reads Acct: Id/IBAN or Id/Othr/Id, Ccy, and the servicer's BIC
// (BIC up to .001.02-.03, BICFI from .001.04).
func readAccount(rec *node, w *warnings) statement.Account {
	acct := rec.child("Acct")
	if acct == nil {
		w.addf(rec.line, "<%s> has no <Acct>; the account is unknown", rec.name)
		return statement.Account{}
	}
	a := statement.Account{
		IBAN:   strings.ReplaceAll(acct.str("Id", "IBAN"), " ", ""),
		Number: acct.first([]string{"Id", "Othr", "Id"}, []string{"Id", "PrtryAcct", "Id"}, []string{"Id", "BBAN"}),
		BIC: acct.first([]string{"Svcr", "FinInstnId", "BICFI"}, []string{"Svcr", "FinInstnId", "BIC"},
			[]string{"Svcr", "FinInstnId", "AnyBIC"}),
	}
	if a.IBAN == "" && a.Number == "" {
		w.addf(acct.line, "<Acct> has neither an IBAN nor another account id")
	}
	if ccy := acct.child("Ccy"); ccy != nil {
		a.Currency = currencyOf(acct.str("Ccy"), "", ccy.line, w)
	}
	return a
}

// firstCurrency is the currency of the first balance or entry, for the many
// files whose Acct has no Ccy.
func firstCurrency(rec *node) backoffice.Currency {
	for _, name := range []string{"Bal", "Ntry"} {
		for _, n := range rec.children(name) {
			if amt := n.child("Amt"); amt != nil && amt.attr("Ccy") != "" {
				return currencyOf(amt.attr("Ccy"), "", amt.line, &warnings{})
			}
		}
	}
	return ""
}

// balanceRole says what a balance type code is used for.
func balanceRole(code, format string) string {
	switch strings.ToUpper(code) {
	case "OPBD":
		return "opening"
	case "PRCD":
		return "opening-fallback"
	case "CLBD":
		return "closing"
	case "ITBD":
		if format == "camt.052" {
			return "closing-fallback"
		}
	}
	return ""
}

// readBalances picks the opening and closing balances (see the package doc
// for the fallbacks). A balance whose amount cannot be read is left out with
// a warning: the entries still import, only the balance check is lost.
func readBalances(rec *node, st *statement.Statement, format string, w *warnings) {
	found := map[string]*statement.Balance{}
	for _, bal := range rec.children("Bal") {
		code := bal.first([]string{"Tp", "CdOrPrtry", "Cd"}, []string{"Tp", "Cd"})
		role := balanceRole(code, format)
		if role == "" {
			continue
		}
		if !bal.closed {
			w.addf(bal.line, "balance %s is cut off by the broken XML; left out", code)
			continue
		}
		amount, msg := signedAmount(bal.child("Amt"), bal.child("CdtDbtInd"), st.Account.Currency, "balance "+code, w)
		if msg != "" {
			w.addf(bal.line, "%s; the balance was left out", msg)
			continue
		}
		if st.Account.Currency != "" && amount.Currency != st.Account.Currency {
			// The JSON form of a balance has no currency of its own: it is the account's.
			w.addf(bal.line, "balance %s is in %s, the account in %s", code, amount.Currency, st.Account.Currency)
		}
		date := dateOf(bal.child("Dt"), "balance "+code+" date", w)
		if date.IsZero() {
			w.addf(bal.line, "balance %s has no date", code)
		}
		if _, dup := found[role]; dup && role != "closing-fallback" {
			w.addf(bal.line, "a second %s balance; the first one is used", code)
			continue
		}
		found[role] = &statement.Balance{Amount: amount, Date: date}
	}
	st.OpeningBalance = found["opening"]
	if st.OpeningBalance == nil {
		st.OpeningBalance = found["opening-fallback"]
	}
	st.ClosingBalance = found["closing"]
	if st.ClosingBalance == nil {
		st.ClosingBalance = found["closing-fallback"]
	}
}
