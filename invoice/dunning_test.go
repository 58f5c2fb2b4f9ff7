package invoice_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// overdueInvoice posts an invoice to p, due
// on due (issued 14 days before), of net at 19 % VAT.
func (e *env) overdueInvoice(p party.Party, net int64, due backoffice.Date) invoice.Document {
	e.t.Helper()
	return e.post(e.create(invoice.Input{Kind: invoice.KindInvoice, PartyID: p.ID, IssueDate: due.AddDays(-14), DueDate: due,
		Lines: []invoice.LineInput{line(qty(e.t, "1"), net, "VAT19")}}).ID)
}

// dun previews a run on date and returns the level each invoice reaches.
func (e *env) dunLevels(date backoffice.Date) map[backoffice.ID]int {
	e.t.Helper()
	p, err := e.s.PreviewDunning(e.ctx, e.company, date)
	must(e.t, err)
	out := map[backoffice.ID]int{}
	for _, it := range p.Items {
		out[it.DocumentID] = it.Level
	}
	return out
}

func (e *env) postDunning(date backoffice.Date) invoice.DunningRun {
	e.t.Helper()
	r, err := e.s.PostDunning(e.ctx, e.company, invoice.DunningRunInput{Date: date})
	must(e.t, err)
	return r
}

var mar31 = backoffice.NewDate(2026, 3, 31)

func TestDunning_LevelReachedByDaysOverdue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		notYet := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-6)) // 6 days: below level 1's 7
		first := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-7))  // 7 days: level 1
		old := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-40))   // 40 days, never dunned: still level 1
		got := e.dunLevels(mar31)
		if _, ok := got[notYet.ID]; ok || got[first.ID] != 1 || got[old.ID] != 1 || len(got) != 2 {
			t.Fatalf("levels = %v, want %d and %d at level 1 and %d not listed", got, first.ID, old.ID, notYet.ID)
		}
		levels, err := e.s.DunningLevels(e.ctx, e.company)
		must(t, err)
		if len(levels) != 3 || levels[1].Fee != 500 || levels[2].Fee != 1000 || levels[2].InterestPercent == 0 || levels[0].Fee != 0 {
			t.Fatalf("default levels = %+v", levels)
		}
	})
}

func TestDunning_NeverSkipsALevelAndWaitsTheInterval(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		old := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-40))
		e.postDunning(mar31) // level 1 on 31 March
		// The next day the invoice is 41 days overdue, past level 3's 35,
		// but level 2 needs 14 days (21 - 7) since level 1.
		p, err := e.s.PreviewDunning(e.ctx, e.company, mar31.AddDays(1))
		must(t, err)
		if len(p.Items) != 0 || len(p.Skipped) != 1 || !strings.Contains(p.Skipped[0].Reason, "level 2 not before 2026-04-14") {
			t.Fatalf("preview a day later = %+v, want the invoice skipped until 14 April", p)
		}
		if got := e.dunLevels(backoffice.NewDate(2026, 4, 14)); got[old.ID] != 2 {
			t.Fatalf("levels on 14 April = %v, want level 2, not 3", got)
		}
		e.postDunning(backoffice.NewDate(2026, 4, 14))
		if got := e.dunLevels(backoffice.NewDate(2026, 4, 27)); len(got) != 0 {
			t.Fatalf("levels on 27 April = %v, want none: level 3 waits 14 days after level 2", got)
		}
		if got := e.dunLevels(backoffice.NewDate(2026, 4, 28)); got[old.ID] != 3 {
			t.Fatalf("levels on 28 April = %v, want level 3", got)
		}
		_, err = e.s.PostDunning(e.ctx, e.company, invoice.DunningRunInput{Date: backoffice.NewDate(2026, 4, 27)})
		wantCode(t, err, backoffice.EConflict, "")
	})
}

func TestDunning_SkipsHeldInvoicesAndParties(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newParty(e.company, party.KindCustomer, "Dupont SA", party.Terms{NetDays: 30})
		held := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-10))
		free := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-10))
		theirs := e.overdueInvoice(other, 10000, mar31.AddDays(-10))
		_, err := e.s.SetDunningHold(e.ctx, e.company, invoice.DunningHold{Target: invoice.HoldInvoice, TargetID: held.ID, Held: true})
		wantCode(t, err, backoffice.EInvalid, "reason")
		_, err = e.s.SetDunningHold(e.ctx, e.company, invoice.DunningHold{Target: invoice.HoldInvoice, TargetID: held.ID, Held: true, Reason: "disputed delivery"})
		must(t, err)
		_, err = e.s.SetDunningHold(e.ctx, e.company, invoice.DunningHold{Target: invoice.HoldParty, TargetID: other.ID, Held: true, Reason: "payment plan"})
		must(t, err)
		got := e.dunLevels(mar31)
		if len(got) != 1 || got[free.ID] != 1 {
			t.Fatalf("levels = %v, want only %d (held %d, party of %d held)", got, free.ID, held.ID, theirs.ID)
		}
		holds, err := e.s.ListDunningHolds(e.ctx, e.company)
		must(t, err)
		if len(holds) != 2 || holds[0].Target != invoice.HoldParty || holds[0].Name != "Dupont SA" || holds[1].Reason != "disputed delivery" {
			t.Fatalf("holds = %+v", holds)
		}
		recs := e.changes(held.ID)
		if last := recs[len(recs)-1]; last.Action != "dunning_hold" || last.Reason != "disputed delivery" {
			t.Fatalf("last change = %+v, want the hold with its reason", last)
		}
		_, err = e.s.SetDunningHold(e.ctx, e.company, invoice.DunningHold{Target: invoice.HoldParty, TargetID: other.ID, Held: false})
		must(t, err)
		if got := e.dunLevels(mar31); got[theirs.ID] != 1 {
			t.Fatalf("levels after release = %v, want %d at level 1", got, theirs.ID)
		}
	})
}

func TestDunning_SkipsInvoiceCoveredByOpenCreditNote(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-10))
		e.post(e.create(invoice.Input{Kind: invoice.KindCreditNote, PartyID: e.customer.ID, IssueDate: backoffice.NewDate(2026, 3, 2),
			Lines: []invoice.LineInput{line(qty(t, "1"), 10000, "VAT19")}}).ID)
		p, err := e.s.PreviewDunning(e.ctx, e.company, mar31)
		must(t, err)
		if len(p.Items) != 0 || len(p.Skipped) != 1 || p.Skipped[0].DocumentID != inv.ID || !strings.Contains(p.Skipped[0].Reason, "credit") {
			t.Fatalf("preview = %+v, want the invoice skipped for the open credit note", p)
		}
	})
}

func TestDunning_FeeInvoiceAppearsInAgingAndTiesToTrialBalance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		lv, err := e.s.DunningLevels(e.ctx, e.company)
		must(t, err)
		lv[0].Fee = 250
		_, err = e.s.SetDunningLevels(e.ctx, e.company, lv)
		must(t, err)
		inv := e.overdueInvoice(e.customer, 10000, mar31.AddDays(-10)) // 119.00
		run := e.postDunning(mar31)
		if len(run.Items) != 1 || run.Items[0].Fee != 250 || run.Items[0].FeeDocument == 0 || run.LetterCount != 1 {
			t.Fatalf("run = %+v, want one invoice with a 2.50 fee invoice and one letter", run)
		}
		fee, err := e.s.Get(e.ctx, e.company, run.Items[0].FeeDocument)
		must(t, err)
		if fee.State != invoice.StatePosted || fee.Totals.Payable != 250 || fee.Totals.TaxTotal != 0 || fee.PartyID != e.customer.ID {
			t.Fatalf("fee invoice = %+v, want a posted 2.50 without VAT", fee)
		}
		aging, err := e.ledger.Aging(e.ctx, e.company, ledger.AgingOptions{Kind: "receivable", AsOf: mar31})
		must(t, err)
		var row int64
		for _, r := range aging.Rows {
			if r.PartyID == int64(e.customer.ID) {
				row = r.Total
			}
		}
		if row != 11900+250 || aging.TotalCompany != 11900+250 {
			t.Fatalf("aging customer = %d, total %d, want 121.50", row, aging.TotalCompany)
		}
		tb, err := e.ledger.TrialBalance(e.ctx, e.company, mar31)
		must(t, err)
		for _, r := range tb {
			if r.Code == "1200" && r.Balance != aging.TotalCompany {
				t.Fatalf("receivables %d, aging %d: they must tie", r.Balance, aging.TotalCompany)
			}
		}
		// The fee invoice is not dunned itself, and the invoice holds level 1.
		later := e.dunLevels(mar31.AddDays(30))
		if _, ok := later[fee.ID]; ok || later[inv.ID] != 2 {
			t.Fatalf("levels a month later = %v, want %d at level 2 and no fee invoice", later, inv.ID)
		}
		recs := e.changes(inv.ID)
		if last := recs[len(recs)-1]; last.Action != "dun" {
			t.Fatalf("last change of the invoice = %+v, want dun", last)
		}
	})
}

func TestDunning_FinalLevelChargesInterest(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		lv, err := e.s.DunningLevels(e.ctx, e.company)
		must(t, err)
		lv = lv[:1]
		lv[0].InterestPercent, lv[0].DaysOverdue = 730000, 1 // 73 % a year = 0.2 % a day
		_, err = e.s.SetDunningLevels(e.ctx, e.company, lv)
		must(t, err)
		e.overdueInvoice(e.customer, 100000, mar31.AddDays(-10)) // 1,190.00 open
		p, err := e.s.PreviewDunning(e.ctx, e.company, mar31)
		must(t, err)
		if len(p.Items) != 1 || p.Items[0].Interest != 2380 { // 1,190.00 × 0.2 % × 10 days
			t.Fatalf("items = %+v, want interest 23.80", p.Items)
		}
	})
}

func TestSetDunningLevels_RejectsSkippedNumbersAndFallingDays(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		lv, err := e.s.DunningLevels(e.ctx, e.company)
		must(t, err)
		lv[1].Level, lv[2].DaysOverdue, lv[0].Fee = 5, 10, -1
		delete(lv[0].Texts, "fr")
		_, err = e.s.SetDunningLevels(e.ctx, e.company, lv)
		wantCode(t, err, backoffice.EInvalid, "levels[1].level")
		for _, f := range []string{"levels[2].days_overdue", "levels[0].fee", "levels[0].texts.fr"} {
			wantCode(t, err, backoffice.EInvalid, f)
		}
		again, err := e.s.DunningLevels(e.ctx, e.company)
		must(t, err)
		if again[1].Level != 2 || again[2].DaysOverdue != 35 {
			t.Fatalf("levels after a refused change = %+v, want the defaults kept", again)
		}
	})
}

func TestDunning_LetterInGermanForGermanParty(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		de, _, err := e.parties.Create(e.ctx, e.company, party.Input{Kind: party.KindCustomer, LegalName: "Schmidt KG", Currency: "EUR", Language: "de",
			Terms: party.Terms{NetDays: 30}, Billing: party.Address{Lines: "Ringstr. 2", City: "Köln", PostalCode: "50667", Country: "DE"}})
		must(t, err)
		e.overdueInvoice(de, 10000, mar31.AddDays(-8))
		e.overdueInvoice(e.customer, 10000, mar31.AddDays(-8))
		run := e.postDunning(mar31)
		if len(run.Letters) != 2 {
			t.Fatalf("letters = %+v, want one per party", run.Letters)
		}
		b, err := e.s.DunningLetterPDF(e.ctx, e.company, run.ID, de.ID)
		must(t, err)
		text := pdfText(t, b)
		if !strings.Contains(text, "Zahlungserinnerung") || !strings.Contains(text, "Rechnung") || strings.Contains(text, "Payment reminder") {
			t.Fatalf("German letter text = %q", text)
		}
		got, err := e.s.GetDunningRun(e.ctx, e.company, run.ID)
		must(t, err)
		langs := map[backoffice.ID]string{}
		for _, l := range got.Letters {
			langs[l.PartyID] = l.Language
		}
		if langs[de.ID] != "de" || langs[e.customer.ID] != "en" || len(got.Items) != 2 {
			t.Fatalf("stored run = %+v", got)
		}
		_, err = e.s.DunningLetterPDF(e.ctx, e.company, run.ID, 0)
		wantCode(t, err, backoffice.EInvalid, "party")
	})
}

// pdfText inflates a PDF's content streams and returns the text shown in them.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	var out strings.Builder
	streams := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(b, -1)
	shown := regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`)
	for _, s := range streams {
		r, err := zlib.NewReader(bytes.NewReader(s[1]))
		if err != nil {
			continue
		}
		plain, _ := io.ReadAll(r)
		for _, m := range shown.FindAllSubmatch(plain, -1) {
			out.Write(m[1])
			out.WriteByte(' ')
		}
	}
	return out.String()
}
