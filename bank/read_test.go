package bank_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/bank"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// importOCA imports the four-entry camt.053 sample into a new account and
// returns its one statement.
func importOCA(t *testing.T, e *env) bank.Statement {
	t.Helper()
	a := e.account("ABN", "NL77ABNA0574908765", "")
	_, err := e.s.Import(e.ctx, e.company, "test-camt053.xml", sample(t, "camt053/oca/test-camt053.xml"), bank.ImportOptions{})
	must(t, err)
	sts, err := e.s.Statements(e.ctx, e.company, a.ID)
	must(t, err)
	if len(sts) != 1 {
		t.Fatalf("%d statements imported, want 1", len(sts))
	}
	return sts[0]
}

// otherCompany inserts a second company and returns its id.
func otherCompany(t *testing.T, e *env) backoffice.ID {
	t.Helper()
	var id backoffice.ID
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	must(t, e.db.QueryRowContext(e.ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		"OTHER", "Other Ltd", "EUR", now, now).Scan(&id))
	return id
}

func TestStatement_ReadsOneStatementAndHidesItFromOtherCompanies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		want := importOCA(t, e)
		got, err := e.s.Statement(e.ctx, e.company, want.ID)
		must(t, err)
		if got.ID != want.ID || got.FileName != "test-camt053.xml" || got.Format != "camt.053" || got.Currency != "EUR" ||
			got.OpeningBalance == nil || got.ClosingBalance == nil || !got.ImportedAt.Equal(want.ImportedAt) {
			t.Errorf("Statement = %+v, want %+v", got, want)
		}
		other := otherCompany(t, e)
		if _, err := e.s.Statement(e.ctx, other, want.ID); backoffice.ErrorCode(err) != backoffice.ENotFound {
			t.Errorf("another company's statement: err = %v, want not_found", err)
		}
		if _, err := e.s.Lines(e.ctx, other, want.ID, bank.LineFilter{}); backoffice.ErrorCode(err) != backoffice.ENotFound {
			t.Errorf("another company's statement lines: err = %v, want not_found", err)
		}
	})
}

func TestLines_PagesByBookingDateAndIDWithoutGapsOrRepeats(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		st := importOCA(t, e)
		all, err := e.s.Lines(e.ctx, e.company, st.ID, bank.LineFilter{})
		must(t, err)
		if len(all.Items) != 4 || all.Next != "" {
			t.Fatalf("all lines: %d items, next %q; want 4 and no next page", len(all.Items), all.Next)
		}
		first, err := e.s.Lines(e.ctx, e.company, st.ID, bank.LineFilter{Page: backoffice.Page{Limit: 3}})
		must(t, err)
		if len(first.Items) != 3 || first.Next == "" {
			t.Fatalf("first page: %d items, next %q; want 3 and a next page", len(first.Items), first.Next)
		}
		second, err := e.s.Lines(e.ctx, e.company, st.ID, bank.LineFilter{Page: backoffice.Page{Limit: 3, After: first.Next}})
		must(t, err)
		if len(second.Items) != 1 || second.Next != "" {
			t.Fatalf("second page: %d items, next %q; want 1 and no next page", len(second.Items), second.Next)
		}
		paged := append(first.Items, second.Items...)
		for i := range paged {
			if paged[i].ID != all.Items[i].ID {
				t.Errorf("line %d: id %d paged, %d in one page", i, paged[i].ID, all.Items[i].ID)
			}
		}
		debit := all.Items[0]
		if debit.Amount != -75425 || debit.Currency != "EUR" || debit.CounterpartyName != "INSURANCE COMPANY TESTX" ||
			debit.EndToEndID != "435005714488-ABNO33052620" || debit.BookingDate != backoffice.NewDate(2014, 1, 5) {
			t.Errorf("first line = %+v", debit)
		}
		if _, err := e.s.Lines(e.ctx, e.company, st.ID, bank.LineFilter{Page: backoffice.Page{After: "bogus"}}); backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("bad cursor: err = %v, want invalid", err)
		}
	})
}

func TestLines_SearchFindsCounterpartyRemittanceAndReferencesInAnyCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		st := importOCA(t, e)
		for _, c := range []struct {
			query string
			want  int
		}{
			{"insurance company", 1}, // counterparty name
			{"POLICY 857239", 1},     // remittance
			{"435005714488-abno", 1}, // end-to-end id
			{"nothing like this", 0}, // no match
			{"100%", 0},              // a wildcard is a plain character
		} {
			got, err := e.s.Lines(e.ctx, e.company, st.ID, bank.LineFilter{Query: c.query})
			must(t, err)
			if len(got.Items) != c.want {
				t.Errorf("query %q: %d lines, want %d", c.query, len(got.Items), c.want)
			}
		}
	})
}

// BenchmarkLines_PagesOfA10000LineStatement reads the first page, a page
// deep in the statement and a search of one statement of 10,000 lines on
// SQLite.
func BenchmarkLines_PagesOfA10000LineStatement(b *testing.B) {
	const n = 10000
	var sb strings.Builder
	sb.WriteString(":20:BENCH\r\n:25:12345678\r\n:28C:1\r\n:60F:C260101EUR0,00\r\n")
	for i := range n {
		fmt.Fprintf(&sb, ":61:26%02d%02d0102C1,00NTRFNONREF//R%d\r\n:86:payment %d\r\n", 1+i%12, 1+i%28, i, i)
	}
	fmt.Fprintf(&sb, ":62F:C261231EUR%d,00\r\n-\r\n", n)
	e := newEnv(b, sqldbtest.SQLite(b))
	a := e.account("Main", "", "12345678")
	_, err := e.s.Import(e.ctx, e.company, "bench.sta", []byte(sb.String()), bank.ImportOptions{})
	must(b, err)
	sts, err := e.s.Statements(e.ctx, e.company, a.ID)
	must(b, err)
	first, err := e.s.Lines(e.ctx, e.company, sts[0].ID, bank.LineFilter{Page: backoffice.Page{Limit: 5000}})
	must(b, err)
	for _, c := range []struct {
		name string
		f    bank.LineFilter
	}{
		{"first", bank.LineFilter{}},
		{"deep", bank.LineFilter{Page: backoffice.Page{After: first.Next}}},
		{"search", bank.LineFilter{Query: "payment 9999"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.s.Lines(e.ctx, e.company, sts[0].ID, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
