package bank_test

import (
	"fmt"
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// mt940 builds an MT940 file for account 12345678 with one statement per
// element of stmts; each is the :28C: id, the :60F: opening balance, the
// :61:/:86: lines ("2601020102D10,00NTRFNONREF//B1|rent") and the :62F:
// closing balance.
func mt940(stmts ...[]string) []byte {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(":20:TEST\r\n:25:12345678\r\n:28C:" + s[0] + "\r\n:60F:" + s[1] + "\r\n")
		for _, l := range s[2 : len(s)-1] {
			line, text, _ := strings.Cut(l, "|")
			b.WriteString(":61:" + line + "\r\n:86:" + text + "\r\n")
		}
		b.WriteString(":62F:" + s[len(s)-1] + "\r\n-\r\n")
	}
	return []byte(b.String())
}

// january is statement 10: 100.00, two payments of 10.00 and 20.00, 70.00.
var january = []string{"10", "C260101EUR100,00", "2601020102D10,00NTRFNONREF//B1|rent", "2601030103D20,00NTRFNONREF//B2|power", "C260103EUR70,00"}

func TestImport_RealCamt053StoresStatementsAndLinesOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		data := sample(t, "camt053/camt053.v2.multi.statement.xml")
		a := e.account("Main", "NL26VAYB8060476890", "")
		rep, err := e.s.Import(e.ctx, e.company, "multi.xml", data, bank.ImportOptions{})
		must(t, err)
		if rep.Format != "camt.053" || len(rep.Statements) != 2 || rep.NewLines() != 2 || rep.SkippedLines() != 0 || len(rep.BalanceProblems()) != 0 {
			t.Fatalf("first import: %+v", rep)
		}
		if n := e.count(`SELECT COUNT(*) FROM bank_statement_lines WHERE bank_account_id = ?`, int64(a.ID)); n != 2 {
			t.Errorf("%d lines stored, want 2", n)
		}
		var amount int64
		must(t, db.QueryRowContext(e.ctx, `SELECT amount FROM bank_statement_lines WHERE bank_account_id = ? ORDER BY id LIMIT 1`,
			int64(a.ID)).Scan(&amount))
		if amount != 885 {
			t.Errorf("first line amount = %d minor units, want 885", amount)
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'bank_statement' AND action = 'import'`); n != 2 {
			t.Errorf("%d change-log entries, want one per statement (2)", n)
		}
		again, err := e.s.Import(e.ctx, e.company, "multi-again.xml", data, bank.ImportOptions{})
		must(t, err)
		if !again.AlreadyImported || again.NewLines() != 0 || again.SkippedLines() != 2 {
			t.Errorf("second import: %+v", again)
		}
		if n := e.count(`SELECT COUNT(*) FROM bank_statements WHERE bank_account_id = ?`, int64(a.ID)); n != 2 {
			t.Errorf("%d statements after importing the file twice, want 2", n)
		}
	})
}

func TestImport_RealMT940MatchesAccountNumberAndChainsBalances(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		data := sample(t, "mt940/wolph-jejik/generic.sta")
		a := e.account("Generic", "", "11111111")
		rep, err := e.s.Import(e.ctx, e.company, "generic.sta", data, bank.ImportOptions{})
		must(t, err)
		if rep.Format != "mt940" || len(rep.Statements) != 2 || rep.NewLines() != 2 || len(rep.BalanceProblems()) != 0 {
			t.Fatalf("import: %+v", rep)
		}
		sts, err := e.s.Statements(e.ctx, e.company, a.ID)
		must(t, err)
		if len(sts) != 2 || sts[0].StatementID != "2" || *sts[0].OpeningBalance != 9000 || *sts[0].ClosingBalance != 8000 ||
			sts[0].FileName != "generic.sta" || len(sts[0].FileSHA256) != 64 {
			t.Errorf("stored statements: %+v", sts)
		}
	})
}

func TestImport_OverlappingStatementAddsOnlyNewLines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "", "12345678")
		_, err := e.s.Import(e.ctx, e.company, "jan.sta", mt940(january), bank.ImportOptions{})
		must(t, err)
		// The bank sends a longer statement over the same days: two lines known, one new.
		longer := []string{"11", "C260101EUR100,00", january[2], january[3], "2601040104C5,00NTRFNONREF//B3|refund", "C260104EUR75,00"}
		rep, err := e.s.Import(e.ctx, e.company, "jan-longer.sta", mt940(longer), bank.ImportOptions{})
		must(t, err)
		if len(rep.Statements) != 1 || rep.Statements[0].NewLines != 1 || rep.Statements[0].SkippedLines != 2 || rep.Statements[0].BalanceProblem != "" {
			t.Fatalf("overlapping import: %+v", rep)
		}
		// The same statement id and period again, in a different file: nothing is looked at twice.
		resent := append([]byte("\r\n"), mt940(january)...)
		rep, err = e.s.Import(e.ctx, e.company, "jan-resent.sta", resent, bank.ImportOptions{})
		must(t, err)
		if rep.AlreadyImported || !rep.Statements[0].Duplicate || rep.NewLines() != 0 || rep.SkippedLines() != 2 {
			t.Errorf("resent statement: %+v", rep)
		}
		if n := e.count(`SELECT COUNT(*) FROM bank_statement_lines`); n != 3 {
			t.Errorf("%d lines stored, want 3", n)
		}
	})
}

func TestImport_IdenticalLinesInOneStatementAreKeptAndRecognisedLater(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "", "12345678")
		twice := []string{"20", "C260201EUR50,00", "2602020202D4,50NCHGNONREF|coffee", "2602020202D4,50NCHGNONREF|coffee", "C260202EUR41,00"}
		rep, err := e.s.Import(e.ctx, e.company, "coffee.sta", mt940(twice), bank.ImportOptions{})
		must(t, err)
		if rep.NewLines() != 2 {
			t.Fatalf("two equal payments: %d new lines, want 2", rep.NewLines())
		}
		intraday := []string{"21", "C260201EUR50,00", "2602020202D4,50NCHGNONREF|coffee", "2602020202D4,50NCHGNONREF|coffee",
			"2602020202D4,50NCHGNONREF|coffee", "C260202EUR36,50"}
		rep, err = e.s.Import(e.ctx, e.company, "coffee-final.sta", mt940(intraday), bank.ImportOptions{})
		must(t, err)
		if rep.NewLines() != 1 || rep.SkippedLines() != 2 {
			t.Errorf("third equal payment: %d new, %d skipped; want 1 and 2", rep.NewLines(), rep.SkippedLines())
		}
	})
}

func TestImport_BalanceMismatchIsReportedAndStored(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.account("Main", "", "12345678")
		// February opens at 60.00 although January closed at 70.00, and its
		// one line of -5.00 does not lead to the closing 50.00.
		february := []string{"12", "C260104EUR60,00", "2601050105D5,00NTRFNONREF//B9|fee", "C260105EUR50,00"}
		rep, err := e.s.Import(e.ctx, e.company, "jan-feb.sta", mt940(january, february), bank.ImportOptions{})
		must(t, err)
		want := "opening balance 60.00 differs from the closing balance 70.00 of the previous statement 10; " +
			"opening balance 60.00 plus the 1 entries makes 55.00, but the closing balance is 50.00 (difference -5.00)"
		if len(rep.Statements) != 2 || rep.Statements[0].BalanceProblem != "" || rep.Statements[1].BalanceProblem != want {
			t.Fatalf("report: %+v", rep.Statements)
		}
		if rep.NewLines() != 3 {
			t.Errorf("%d new lines, want 3: a mismatch is stored, not refused", rep.NewLines())
		}
		sts, err := e.s.Statements(e.ctx, e.company, a.ID)
		must(t, err)
		if len(sts) != 2 || sts[0].BalanceProblem != want || sts[1].BalanceProblem != "" {
			t.Errorf("stored: %+v", sts)
		}
	})
}

func TestImport_UnknownAccountIsAClearErrorAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.account("Main", "", "12345678")
		// The first statement is for the known account, the second is not: the whole file is refused.
		other := strings.ReplaceAll(string(mt940([]string{"30", "C260101EUR0,00", "C260101EUR0,00"})), "12345678", "99999999")
		data := append(mt940(january), other...)
		_, err := e.s.Import(e.ctx, e.company, "mixed.sta", data, bank.ImportOptions{})
		if backoffice.ErrorCode(err) != backoffice.ENotFound || !strings.Contains(err.Error(), "mixed.sta") ||
			!strings.Contains(err.Error(), "number 99999999") {
			t.Fatalf("err = %v", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM bank_statements`) + e.count(`SELECT COUNT(*) FROM bank_statement_lines`); n != 0 {
			t.Errorf("%d rows stored from a refused file", n)
		}
		// Named by the caller, the same file goes to that account.
		rep, err := e.s.Import(e.ctx, e.company, "mixed.sta", data, bank.ImportOptions{BankAccountID: a.ID})
		must(t, err)
		if len(rep.Statements) != 2 || rep.NewLines() != 2 {
			t.Errorf("named account: %+v", rep)
		}
	})
}

func TestImport_UnreadableFileChangesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.Import(e.ctx, e.company, "notes.txt", []byte("dear bank,\nthanks\n"), bank.ImportOptions{Format: "mt940"})
		if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.HasPrefix(err.Error(), "notes.txt: ") {
			t.Fatalf("err = %v", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM bank_statements`); n != 0 {
			t.Errorf("%d statements stored", n)
		}
	})
}

func TestImport_LongOverlappingStatementsCrossLookupAndInsertChunks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "", "12345678")
		long := func(id string, n int) []string {
			s := []string{id, "C260101EUR0,00"}
			for i := range n {
				s = append(s, fmt.Sprintf("2601020102C1,00NTRFNONREF//R%d|payment %d", i, i))
			}
			return append(s, fmt.Sprintf("C260102EUR%d,00", n))
		}
		rep, err := e.s.Import(e.ctx, e.company, "first.sta", mt940(long("1", 1100)), bank.ImportOptions{})
		must(t, err)
		if rep.NewLines() != 1100 {
			t.Fatalf("first: %d new lines, want 1100", rep.NewLines())
		}
		rep, err = e.s.Import(e.ctx, e.company, "second.sta", mt940(long("2", 1101)), bank.ImportOptions{})
		must(t, err)
		if rep.NewLines() != 1 || rep.SkippedLines() != 1100 {
			t.Errorf("second: %d new, %d skipped; want 1 and 1100", rep.NewLines(), rep.SkippedLines())
		}
		if n := e.count(`SELECT COUNT(*) FROM bank_statement_lines`); n != 1101 {
			t.Errorf("%d lines stored, want 1101", n)
		}
	})
}

func TestImport_RefusesAStatementInAnotherCurrency(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "", "12345678")
		usd := strings.ReplaceAll(string(mt940(january)), "EUR", "USD")
		_, err := e.s.Import(e.ctx, e.company, "usd.sta", []byte(usd), bank.ImportOptions{})
		if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), "in USD, but bank account Main keeps EUR") {
			t.Fatalf("err = %v", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM bank_statements`); n != 0 {
			t.Errorf("%d statements stored", n)
		}
	})
}
