package ledger_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger/plaintext"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

var sampleCommodities = map[string]backoffice.Currency{"$": "USD", "€": "EUR", "£": "GBP", "": "USD"}

// importSamples parses every published journal the parser accepts.
func importSamples(t *testing.T) map[string]*plaintext.Journal {
	t.Helper()
	out := map[string]*plaintext.Journal{}
	for _, d := range []struct{ dir, dialect string }{
		{"../../shared/testdata/ledger/hledger", plaintext.DialectHledger},
		{"../../shared/testdata/ledger/ledger-cli", plaintext.DialectLedger},
	} {
		var files []string
		_ = filepath.WalkDir(d.dir, func(path string, de os.DirEntry, err error) error {
			if err == nil && !de.IsDir() {
				files = append(files, path)
			}
			return nil
		})
		for _, path := range files {
			switch filepath.Ext(path) {
			case ".journal", ".j", ".ledger", ".dat":
			default:
				continue
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			j, err := plaintext.Parse(path, f, plaintext.Options{Dialect: d.dialect, Commodities: sampleCommodities, DefaultYear: 2026})
			f.Close()
			if err == nil && len(j.Transactions) > 0 {
				out[path] = j
			}
		}
	}
	if len(out) == 0 {
		t.Skip("no sample journals in ../../shared/testdata/ledger")
	}
	return out
}

// mainCurrency is the currency most postings of j are in.
func mainCurrency(j *plaintext.Journal) backoffice.Currency {
	n := map[backoffice.Currency]int{}
	best := backoffice.Currency("USD")
	for _, tx := range j.Transactions {
		for _, p := range tx.Postings {
			n[p.Amount.Currency]++
			if n[p.Amount.Currency] > n[best] {
				best = p.Amount.Currency
			}
		}
	}
	return best
}

// TestImportJournal_TrialBalanceEqualsTheJournal imports every sample journal
// the parser accepts (whose balances the parser's own tests prove equal to
// `hledger bal`) and compares the trial balance with the journal's balances,
// per account and currency, to the minor unit.
func TestImportJournal_TrialBalanceEqualsTheJournal(t *testing.T) {
	samples := importSamples(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		imported, n := 0, 0
		for path, j := range samples {
			n++
			company := e.newCompany(fmt.Sprintf("J%d", n), string(mainCurrency(j)))
			rep, err := e.s.ImportJournal(e.ctx, company, j, nil)
			if err != nil {
				if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), "nothing was imported") {
					t.Errorf("%s: %v", path, err)
				}
				if !strings.Contains(err.Error(), "virtual posting") && !strings.Contains(err.Error(), "is not in the company's currency") {
					t.Errorf("%s refused for another reason than virtual postings or a currency without a cost: %v", path, err)
				}
				if rows, _ := e.s.TrialBalance(e.ctx, company, day("2100-01-01")); len(rows) != 0 {
					t.Errorf("%s: refused import left %d balances", path, len(rows))
				}
				continue
			}
			imported++
			rows, err := e.s.TrialBalance(e.ctx, company, day("2100-12-31"))
			must(t, err)
			got := map[string]map[backoffice.Currency]int64{}
			for _, r := range rows {
				if got[r.Code] == nil {
					got[r.Code] = map[backoffice.Currency]int64{}
				}
				got[r.Code][r.Currency] = r.Balance
			}
			for acct, byCur := range j.Balances() {
				for cur, want := range byCur {
					if got[acct][cur] != want {
						t.Errorf("%s: %s %s = %d, journal says %d", filepath.Base(path), acct, cur, got[acct][cur], want)
					}
				}
			}
			skipped := 0
			for _, w := range rep.Warnings {
				if strings.Contains(w, "books nothing") {
					skipped++
				}
			}
			if rep.Posted+skipped != len(j.Transactions) {
				t.Errorf("%s: posted %d and skipped %d of %d", path, rep.Posted, skipped, len(j.Transactions))
			}
		}
		// Refused: journals with unbalanced virtual postings "(…)", which
		// double-entry books cannot hold, and conversions without a price.
		if imported < len(samples)*2/3 {
			t.Errorf("only %d of %d sample journals imported", imported, len(samples))
		}
		t.Logf("%d of %d parsed sample journals imported with equal balances", imported, len(samples))
	})
}

func TestImportJournal_SecondImportPostsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		j := parseText(t, "2026-01-05 Rent\n    expenses:rent    1200.00 EUR\n    assets:bank\n\n2026-01-06 Coffee\n    expenses:food  3.50 EUR\n    assets:cash\n")
		first, err := e.s.ImportJournal(e.ctx, e.company, j, nil)
		must(t, err)
		second, err := e.s.ImportJournal(e.ctx, e.company, j, nil)
		must(t, err)
		e.reload()
		if first.Posted != 2 || first.Accounts != 6 || second.Posted != 0 || second.Accounts != 0 {
			t.Fatalf("first %+v, second %+v", first, second)
		}
		if b := e.balance("expenses:rent", "2026-12-31"); b != 120000 {
			t.Fatalf("rent balance %d after two imports", b)
		}
	})
}

func TestImportJournal_ReportsEveryUnbookableTransactionAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		before := e.count("ledger_entries")
		j := parseText(t, "2026-01-05 Fine\n    expenses:a    1.00 EUR\n    assets:b\n\n"+
			"2026-01-06 Dollars without a price\n    expenses:a    5.00 USD\n    assets:b\n\n"+
			"2026-01-07 Memo posting\n    expenses:a    1.00 EUR\n    assets:b\n    (budget:a)  -1.00 EUR\n")
		_, err := e.s.ImportJournal(e.ctx, e.company, j, nil)
		if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), "2 transaction(s) cannot be booked") {
			t.Fatalf("err = %v", err)
		}
		for _, want := range []string{"test.journal:6", "test.journal:12"} {
			if !strings.Contains(errorFields(err), want) {
				t.Errorf("no problem reported at %s: %v", want, errorFields(err))
			}
		}
		if n := e.count("ledger_entries"); n != before {
			t.Fatalf("%d entries stored by a refused import", n-before)
		}
	})
}

func parseText(t *testing.T, text string) *plaintext.Journal {
	t.Helper()
	j, err := plaintext.Parse("test.journal", strings.NewReader(text), plaintext.Options{Dialect: plaintext.DialectHledger, DefaultYear: 2026})
	must(t, err)
	return j
}

func errorFields(err error) string {
	var b strings.Builder
	if e, ok := err.(*backoffice.Error); ok {
		for k, v := range e.Fields {
			b.WriteString(k + " " + v + "\n")
		}
	}
	return b.String()
}
