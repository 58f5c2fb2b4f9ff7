package camt

import (
	"errors"
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank/statement"
)

// doc wraps statement content in a camt.053 document of the given namespace
// version; the body starts on line 6.
func doc(version, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.` + version + `">
<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<Stmt><Id>S1</Id>
<Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>
` + body + `
</Stmt></BkToCstmrStmt></Document>`
}

// ntry is an entry with the given amount, indicator and inner elements.
func ntry(amount, ind, inner string) string {
	return `<Ntry><Amt Ccy="EUR">` + amount + `</Amt><CdtDbtInd>` + ind + `</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-01-05</Dt></BookgDt><ValDt><DtTm>2026-01-06T23:30:00-05:00</DtTm></ValDt>` + inner + `</Ntry>`
}

func mustParse(t *testing.T, xml string) *statement.Result {
	t.Helper()
	res, err := Parse([]byte(xml))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return res
}

func onlyEntry(t *testing.T, res *statement.Result) statement.Entry {
	t.Helper()
	if len(res.Statements) != 1 || len(res.Statements[0].Entries) != 1 {
		t.Fatalf("want one statement with one entry, got %+v", res.Statements)
	}
	return res.Statements[0].Entries[0]
}

func warningsText(res *statement.Result) string {
	var b strings.Builder
	for _, w := range res.Warnings {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

func TestParse_SignsAmountsByCdtDbtIndInMinorUnits(t *testing.T) {
	for _, tc := range []struct{ amount, ind, ccy string }{
		{"1234.5", "DBIT", "-123450 EUR"},
		{"0.01", "CRDT", "1 EUR"},
		{"1.500", "CRDT", "150 EUR"}, // trailing zeros beyond the exponent carry no value
	} {
		e := onlyEntry(t, mustParse(t, doc("08", ntry(tc.amount, tc.ind, ""))))
		if got := entryMoney(e); got != tc.ccy {
			t.Errorf("%s %s: got %s, want %s", tc.amount, tc.ind, got, tc.ccy)
		}
	}
}

func TestParse_TrustsCdtDbtIndOverAStrayMinusSign(t *testing.T) {
	res := mustParse(t, doc("02", ntry("-5.00", "DBIT", "")))
	if e := onlyEntry(t, res); e.Amount.Amount != -500 {
		t.Errorf("amount %d, want -500", e.Amount.Amount)
	}
	if w := warningsText(res); !strings.Contains(w, `line 6: entry amount "-5.00" carries a minus sign`) {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestParse_UsesTheCurrencyExponent(t *testing.T) {
	body := `<Ntry><Amt Ccy="JPY">2700</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>
<Ntry><Amt Ccy="BHD">1.234</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts></Ntry>`
	res := mustParse(t, doc("02", body))
	got := []string{entryMoney(res.Statements[0].Entries[0]), entryMoney(res.Statements[0].Entries[1])}
	if got[0] != "2700 JPY" || got[1] != "-1234 BHD" {
		t.Errorf("got %v", got)
	}
}

func TestParse_RefusesAnEntryAmountItCannotReadExactly(t *testing.T) {
	_, err := Parse([]byte(doc("02", ntry("10.005", "CRDT", ""))))
	var e *backoffice.Error
	if !errors.As(err, &e) || e.Code != backoffice.EInvalid {
		t.Fatalf("want an invalid *backoffice.Error, got %v", err)
	}
	if !strings.Contains(e.Message, "line 6") || !strings.Contains(e.Message, "10.005") {
		t.Errorf("message %q should name line 6 and the amount", e.Message)
	}
}

func TestParse_ReversalKeepsTheSignAndTakesTheOriginalPayersSide(t *testing.T) {
	// A returned direct debit: money leaves the account (DBIT), the original
	// payment was a credit from the debtor, who is the counterparty.
	inner := `<RvslInd>true</RvslInd><NtryDtls><TxDtls><RltdPties>
<Dbtr><Nm>Original Payer</Nm></Dbtr><DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct>
<Cdtr><Nm>Us</Nm></Cdtr></RltdPties></TxDtls></NtryDtls>`
	e := onlyEntry(t, mustParse(t, doc("02", ntry("12.00", "DBIT", inner))))
	if e.Amount.Amount != -1200 {
		t.Errorf("amount %d, want -1200: CdtDbtInd already gives the reversal's direction", e.Amount.Amount)
	}
	if e.Counterparty.Name != "Original Payer" || e.Counterparty.IBAN != "NL91ABNA0417164300" {
		t.Errorf("counterparty %+v, want the original payer", e.Counterparty)
	}
}

func TestParse_CounterpartyIsTheDebtorOfACreditAndTheCreditorOfADebit(t *testing.T) {
	parties := `<NtryDtls><TxDtls><RltdPties>
<Dbtr><Pty><Nm>Payer</Nm></Pty></Dbtr><Cdtr><Pty><Nm>Payee</Nm></Pty></Cdtr></RltdPties>
<RltdAgts><DbtrAgt><FinInstnId><BICFI>PAYRDEFF</BICFI></FinInstnId></DbtrAgt>
<CdtrAgt><FinInstnId><BIC>PAYEDEFF</BIC></FinInstnId></CdtrAgt></RltdAgts></TxDtls></NtryDtls>`
	credit := onlyEntry(t, mustParse(t, doc("08", ntry("1", "CRDT", parties))))
	debit := onlyEntry(t, mustParse(t, doc("08", ntry("1", "DBIT", parties))))
	if credit.Counterparty != (statement.Party{Name: "Payer", BIC: "PAYRDEFF"}) {
		t.Errorf("credit counterparty %+v", credit.Counterparty)
	}
	if debit.Counterparty != (statement.Party{Name: "Payee", BIC: "PAYEDEFF"}) {
		t.Errorf("debit counterparty %+v", debit.Counterparty)
	}
}

func TestParse_ReadsReferencesCodesAndRemittance(t *testing.T) {
	inner := `<AcctSvcrRef>BANK-1</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn><Prtry><Cd>105</Cd></Prtry></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E-9</EndToEndId><MndtId>M-77</MndtId></Refs>
<RltdPties><Cdtr><Nm>Utility</Nm><Id><PrvtId><Othr><Id>DE98ZZZ09999999999</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></Cdtr></RltdPties>
<RmtInf><Ustrd> Invoice 42 </Ustrd><Ustrd>January</Ustrd><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls></NtryDtls>`
	e := onlyEntry(t, mustParse(t, doc("02", ntry("30.00", "DBIT", inner))))
	want := statement.Entry{
		BookingDate: backoffice.NewDate(2026, 1, 5), ValueDate: backoffice.NewDate(2026, 1, 6),
		Amount: backoffice.Money{Amount: -3000, Currency: "EUR"}, Counterparty: statement.Party{Name: "Utility"},
		Remittance: "Invoice 42 January RF18539007547034", EndToEndID: "E2E-9", BankReference: "BANK-1",
		MandateID: "M-77", CreditorID: "DE98ZZZ09999999999", BankTxCode: "PMNT/IDDT/ESDD",
	}
	if e != want {
		t.Errorf("got  %+v\nwant %+v", e, want)
	}
}

func TestParse_SkipsNotProvidedAndFallsBackToAdditionalEntryInfo(t *testing.T) {
	inner := `<BkTxCd><Prtry><Cd>NTRF</Cd></Prtry></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls></NtryDtls>
<AddtlNtryInf>SALARY JANUARY</AddtlNtryInf>`
	e := onlyEntry(t, mustParse(t, doc("02", ntry("1", "CRDT", inner))))
	if e.EndToEndID != "" || e.Remittance != "SALARY JANUARY" || e.BankTxCode != "NTRF" {
		t.Errorf("got %+v", e)
	}
}

func TestParse_SplitsABatchWhoseTransactionsAddUp(t *testing.T) {
	tx := func(amount, e2e string) string {
		return `<TxDtls><Refs><EndToEndId>` + e2e + `</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">` + amount + `</Amt></TxAmt></AmtDtls></TxDtls>`
	}
	inner := `<NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>` + tx("7.50", "A") + tx("2.50", "B") + `</NtryDtls>`
	res := mustParse(t, doc("02", ntry("10.00", "DBIT", inner)))
	got := res.Statements[0].Entries
	if len(got) != 2 || got[0].Amount.Amount != -750 || got[1].Amount.Amount != -250 || got[1].EndToEndID != "B" {
		t.Fatalf("got %+v", got)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("unexpected warnings:\n%s", warningsText(res))
	}
}

func TestParse_KeepsABatchWhoseTransactionsDoNotAddUpAsOneEntry(t *testing.T) {
	inner := `<NtryDtls><TxDtls><Amt Ccy="EUR">7.50</Amt></TxDtls><TxDtls><Amt Ccy="EUR">2.00</Amt></TxDtls></NtryDtls>`
	res := mustParse(t, doc("04", ntry("10.00", "CRDT", inner)))
	if e := onlyEntry(t, res); e.Amount.Amount != 1000 {
		t.Errorf("amount %d, want the entry's 1000", e.Amount.Amount)
	}
	if w := warningsText(res); !strings.Contains(w, "line 6: entry of 10.00 EUR holds 2 transactions but their amounts add up to 9.50") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestParse_PicksOpeningAndClosingBalances(t *testing.T) {
	bal := func(code, amount, ind, date string) string {
		return `<Bal><Tp><CdOrPrtry><Cd>` + code + `</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">` + amount +
			`</Amt><CdtDbtInd>` + ind + `</CdtDbtInd><Dt><Dt>` + date + `</Dt></Dt></Bal>`
	}
	body := bal("PRCD", "1.00", "CRDT", "2026-01-01") + bal("OPBD", "2.00", "DBIT", "2026-01-02") +
		bal("CLAV", "9.00", "CRDT", "2026-01-03") + bal("CLBD", "3.00", "CRDT", "2026-01-03")
	st := mustParse(t, doc("02", body)).Statements[0]
	if money(st.OpeningBalance) != "-200 EUR" || st.OpeningBalance.Date != backoffice.NewDate(2026, 1, 2) {
		t.Errorf("opening %+v, want OPBD -2.00 on 2026-01-02", st.OpeningBalance)
	}
	if money(st.ClosingBalance) != "300 EUR" {
		t.Errorf("closing %+v, want CLBD 3.00", st.ClosingBalance)
	}
	st = mustParse(t, doc("02", bal("PRCD", "1.00", "CRDT", "2026-01-01"))).Statements[0]
	if money(st.OpeningBalance) != "100 EUR" || st.ClosingBalance != nil {
		t.Errorf("PRCD alone: opening %+v closing %+v", st.OpeningBalance, st.ClosingBalance)
	}
}

func TestParse_ReadsEveryNamespaceVersionAndWarnsOnUnknownOnes(t *testing.T) {
	for v := 2; v <= 13; v++ {
		version := string(rune('0'+v/10)) + string(rune('0'+v%10))
		res := mustParse(t, doc(version, ntry("1", "CRDT", "")))
		if len(res.Warnings) != 0 || len(res.Statements[0].Entries) != 1 {
			t.Errorf("version %s: warnings %v", version, res.Warnings)
		}
	}
	for version, want := range map[string]string{
		"14": "line 2: version camt.053.001.14 is newer",
		"99": "line 2: version camt.053.001.99 is newer",
	} {
		if w := warningsText(mustParse(t, doc(version, ""))); !strings.Contains(w, want) {
			t.Errorf("version %s: warnings %q, want %q", version, w, want)
		}
	}
	bare := strings.Replace(doc("02", ntry("1", "CRDT", "")), ` xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"`, "", 1)
	if w := warningsText(mustParse(t, bare)); !strings.Contains(w, "line 2: the document has no namespace") {
		t.Errorf("no namespace: %q", w)
	}
	prefixed := strings.NewReplacer("<Document xmlns=", "<c:Document xmlns:c=", "</Document>", "</c:Document>").Replace(doc("06", ntry("1", "CRDT", "")))
	if res := mustParse(t, prefixed); len(res.Statements[0].Entries) != 1 || len(res.Warnings) != 0 {
		t.Errorf("prefixed root: %+v", res)
	}
}

func TestParse_KeepsPendingAndDropsInformationOnlyEntries(t *testing.T) {
	body := strings.Replace(ntry("1", "CRDT", ""), "<Sts>BOOK</Sts>", "<Sts><Cd>PDNG</Cd></Sts>", 1) +
		strings.Replace(ntry("2", "CRDT", ""), "<Sts>BOOK</Sts>", "<Sts>INFO</Sts>", 1)
	res := mustParse(t, doc("10", body))
	if e := onlyEntry(t, res); e.Amount.Amount != 100 {
		t.Errorf("kept %+v, want the pending entry", e)
	}
	w := warningsText(res)
	if !strings.Contains(w, "has status INFO") || !strings.Contains(w, "1 pending") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestParse_ReadsCamt052And054(t *testing.T) {
	for _, tc := range []struct{ message, record, format string }{
		{"BkToCstmrAcctRpt", "Rpt", "camt.052"},
		{"BkToCstmrDbtCdtNtfctn", "Ntfctn", "camt.054"},
	} {
		xml := strings.NewReplacer("BkToCstmrStmt", tc.message, "<Stmt>", "<"+tc.record+">", "</Stmt>", "</"+tc.record+">",
			"camt.053", tc.format).Replace(doc("08", ntry("5", "CRDT", "")))
		res := mustParse(t, xml)
		if res.Format != tc.format || res.Statements[0].ID != "S1" || len(res.Statements[0].Entries) != 1 {
			t.Errorf("%s: %+v", tc.format, res)
		}
	}
}
