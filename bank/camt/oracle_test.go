package camt

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"backoffice/bank/statement"
)

// The *.json files beside the genkgo/camt samples are that PHP library's
// reading of the same file, serialised getter by getter. Objects already
// written once appear again only as "__RECURSIVITY__", so records and entries
// are collected wherever they first appear in the tree.

type obj = map[string]any

func (s sample) oracle() string { return strings.TrimSuffix(s.path, ".xml") + ".json" }

// collect walks the oracle tree and returns the record objects (statements,
// reports, notifications: they have getBalances) and the entry objects.
func collect(v any, records, entries *[]obj) {
	switch t := v.(type) {
	case obj:
		if _, ok := t["getBalances"]; ok {
			*records = append(*records, t)
		}
		if _, ok := t["getBookingDate"]; ok && t["getCreditDebitIndicator"] != nil {
			*entries = append(*entries, t)
		}
		for _, k := range t {
			collect(k, records, entries)
		}
	case []any:
		for _, k := range t {
			collect(k, records, entries)
		}
	}
}

// get follows getter names; it returns nil for a missing or null step.
func get(v any, path ...string) any {
	for _, p := range path {
		o, ok := v.(obj)
		if !ok {
			return nil
		}
		v = o[p]
	}
	return v
}

func getStr(v any, path ...string) string {
	s, _ := get(v, path...).(string)
	if s == "__RECURSIVITY__" {
		return ""
	}
	return s
}

// oracleDate is the calendar date of a serialised DateTimeImmutable.
func oracleDate(v any, path ...string) string {
	s := getStr(v, append(path, "0")...)
	if len(s) >= 10 {
		return s[:10]
	}
	return ""
}

// oracleMoney is "minor units currency" of a serialised Money\Money.
func oracleMoney(v any, path ...string) string {
	m := get(v, path...)
	if m == nil {
		return ""
	}
	return getStr(m, "getAmount") + " " + getStr(m, "getCurrency", "getCode")
}

func money(b *statement.Balance) string {
	if b == nil {
		return ""
	}
	return strconv.FormatInt(b.Amount.Amount, 10) + " " + string(b.Amount.Currency)
}

func entryMoney(e statement.Entry) string {
	return strconv.FormatInt(e.Amount.Amount, 10) + " " + string(e.Amount.Currency)
}

// oracleCode joins genkgo's bank transaction code the way Parse does.
func oracleCode(v any) string {
	if d := get(v, "getDomain"); d != nil {
		parts := []string{getStr(d, "getCode")}
		if f := get(d, "getFamily"); f != nil {
			parts = append(parts, getStr(f, "getCode"))
			if s := getStr(f, "getSubFamilyCode"); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "/")
	}
	return getStr(v, "getProprietary", "getCode")
}

func TestParse_AgreesWithGenkgoOnEveryAmountDateAndReference(t *testing.T) {
	checked := 0
	for _, s := range samples(t) {
		raw, err := os.ReadFile(s.oracle())
		if err != nil {
			continue // only the genkgo samples have an oracle
		}
		checked++
		t.Run(s.key(), func(t *testing.T) {
			var tree any
			if err := json.Unmarshal(raw, &tree); err != nil {
				t.Fatal(err)
			}
			res := parseSample(t, s)
			var records, entries []obj
			collect(tree, &records, &entries)
			for _, rec := range records {
				checkRecord(t, rec, res)
			}
			for _, e := range entries {
				checkEntry(t, e, res)
			}
		})
	}
	if checked == 0 {
		t.Skip("no genkgo oracle files found")
	}
}

func statementByID(res *statement.Result, id string) *statement.Statement {
	for i := range res.Statements {
		if res.Statements[i].ID == id {
			return &res.Statements[i]
		}
	}
	return nil
}

func checkRecord(t *testing.T, rec obj, res *statement.Result) {
	t.Helper()
	id := getStr(rec, "getId")
	st := statementByID(res, id)
	if st == nil {
		t.Errorf("genkgo reads statement %q, Parse does not", id)
		return
	}
	if iban := getStr(rec, "getAccount", "getIban", "getIban"); iban != "" && iban != st.Account.IBAN {
		t.Errorf("%s: IBAN %q, genkgo %q", id, st.Account.IBAN, iban)
	}
	if other := getStr(rec, "getAccount", "getIdentification"); other != "" && other != st.Account.IBAN && other != st.Account.Number {
		t.Errorf("%s: account %q/%q, genkgo %q", id, st.Account.IBAN, st.Account.Number, other)
	}
	if d := oracleDate(rec, "getFromDate"); d != st.FromDate.String() {
		t.Errorf("%s: from %q, genkgo %q", id, st.FromDate, d)
	}
	if d := oracleDate(rec, "getToDate"); d != st.ToDate.String() {
		t.Errorf("%s: to %q, genkgo %q", id, st.ToDate, d)
	}
	balances, _ := rec["getBalances"].([]any)
	want := map[string]string{}
	wantDate := map[string]string{}
	for _, b := range balances {
		role := map[string]string{"opening": "opening", "closing": "closing", "interim": "interim"}[getStr(b, "getType")]
		if role == "" || (role == "opening" && want[role] != "") {
			continue // other types are not read; the first opening (OPBD before PRCD) wins
		}
		want[role], wantDate[role] = oracleMoney(b, "getAmount"), oracleDate(b, "getDate")
	}
	if want["closing"] == "" && res.Format == "camt.052" {
		want["closing"], wantDate["closing"] = want["interim"], wantDate["interim"]
	}
	for role, got := range map[string]*statement.Balance{"opening": st.OpeningBalance, "closing": st.ClosingBalance} {
		if money(got) != want[role] {
			t.Errorf("%s: %s balance %q, genkgo %q", id, role, money(got), want[role])
		}
		if got != nil && got.Date.String() != wantDate[role] {
			t.Errorf("%s: %s balance date %q, genkgo %q", id, role, got.Date, wantDate[role])
		}
	}
}

// checkEntry finds the entry Parse made of genkgo's entry e (or, for a
// batch Parse split, the entry of each transaction) and compares them.
func checkEntry(t *testing.T, e obj, res *statement.Result) {
	t.Helper()
	txs, _ := e["getTransactionDetails"].([]any)
	if len(txs) > 0 {
		// The first detail was written out as getTransactionDetail.
		txs = append([]any{e["getTransactionDetail"]}, txs[1:]...)
	}
	want := oracleMoney(e, "getAmount")
	book, value := oracleDate(e, "getBookingDate"), oracleDate(e, "getValueDate")
	var mine []statement.Entry
	for _, st := range res.Statements {
		if id := getStr(e, "getRecord", "getId"); id != "" && id != st.ID {
			continue
		}
		for _, m := range st.Entries {
			if m.BookingDate.String() == book && m.ValueDate.String() == value {
				mine = append(mine, m)
			}
		}
	}
	label := fmt.Sprintf("entry %s booked %q", want, book)
	for _, m := range mine {
		if entryMoney(m) == want {
			if len(txs) == 1 {
				checkTransaction(t, label, txs[0], m)
			}
			if ref := getStr(e, "getAccountServicerReference"); ref != "" && len(txs) != 1 && m.BankReference != reference(ref) {
				t.Errorf("%s: bank reference %q, genkgo %q", label, m.BankReference, ref)
			}
			if code := oracleCode(get(e, "getBankTransactionCode")); len(txs) == 0 && code != m.BankTxCode {
				t.Errorf("%s: transaction code %q, genkgo %q", label, m.BankTxCode, code)
			}
			return
		}
	}
	if len(txs) < 2 {
		t.Errorf("%s: Parse has no such entry", label)
		return
	}
	// A split batch: every transaction must be one of the entries, by its
	// own amount and end-to-end reference.
	for i, tx := range txs {
		amount := strings.TrimPrefix(oracleMoney(tx, "getAmount"), "-")
		found := false
		for _, m := range mine {
			if strings.TrimPrefix(entryMoney(m), "-") == amount && m.EndToEndID == reference(getStr(tx, "getReference", "getEndToEndId")) {
				checkTransaction(t, fmt.Sprintf("%s transaction %d", label, i+1), tx, m)
				found = true
			}
		}
		if !found {
			t.Errorf("%s: transaction %d (%s) is neither the entry nor one of its split entries", label, i+1, amount)
		}
	}
}

// checkTransaction compares the references and remittance of one TxDtls.
func checkTransaction(t *testing.T, label string, tx any, m statement.Entry) {
	t.Helper()
	ref := get(tx, "getReference")
	for name, pair := range map[string][2]string{
		"end-to-end id": {m.EndToEndID, reference(getStr(ref, "getEndToEndId"))},
		"mandate id":    {m.MandateID, getStr(ref, "getMandateId")},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s: %s %q, genkgo %q", label, name, pair[0], pair[1])
		}
	}
	if r := reference(getStr(ref, "getAccountServicerReference")); r != "" && m.BankReference != r {
		t.Errorf("%s: bank reference %q, genkgo %q", label, m.BankReference, r)
	}
	if code := oracleCode(get(tx, "getBankTransactionCode")); code != "" && code != m.BankTxCode {
		t.Errorf("%s: transaction code %q, genkgo %q", label, m.BankTxCode, code)
	}
	rmt := get(tx, "getRemittanceInformation")
	blocks, _ := get(rmt, "getUnstructuredBlocks").([]any)
	for _, b := range blocks {
		if msg := strings.TrimSpace(getStr(b, "getMessage")); !strings.Contains(m.Remittance, msg) {
			t.Errorf("%s: remittance %q lacks genkgo's %q", label, m.Remittance, msg)
		}
	}
	if r := getStr(rmt, "getCreditorReferenceInformation", "getRef"); r != "" && !strings.Contains(m.Remittance, r) {
		t.Errorf("%s: remittance %q lacks the creditor reference %q", label, m.Remittance, r)
	}
}
