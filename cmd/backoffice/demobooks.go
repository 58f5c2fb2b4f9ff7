package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// demoCustomers and demoSuppliers name the parties of the demo books.
var (
	demoCustomers = []string{"Nordwind Handel GmbH", "Café Aurora", "Bergmann & Söhne KG", "Lumen Design Studio", "Kowalski Logistics",
		"Hotel Seeblick", "Atelier Moreau", "Grünwerk eG", "Fjord Marine AS", "Praxis Dr. Albers"}
	demoSuppliers = []string{"Papier Paulsen", "Stadtwerke Nord", "Telekom Business", "Bürowelt AG", "Kaffeerösterei Hansen",
		"Allianz Versicherung", "Steuerbüro Klein", "Druckerei Ruhr"}
)

// demoBooks posts a year of realistic bookkeeping up to today: capital and a
// loan, monthly rent, payroll, depreciation, loan interest, bank fees and
// petty cash. Invoices, bills and their payments come from demoInvoices.
// The random source is seeded, so every demo has the same books; each
// entry carries an idempotency key, so loading twice posts nothing twice.
func demoBooks(ctx context.Context, l *ledger.Service, companyID backoffice.ID, today backoffice.Date, seed uint64) (int, error) {
	b := &demoBook{l: l, company: companyID, rnd: rand.New(rand.NewPCG(seed, 42)), today: today}
	if err := b.load(ctx); err != nil {
		return 0, err
	}
	start := today.AddMonths(-12)
	start = backoffice.NewDate(start.Year, start.Month, 1)
	b.add("GEN", start, "CAP-1", "Share capital paid in", line("1110", 5000000), line("3010", -5000000))
	b.add("GEN", start.AddDays(2), "LOAN-1", "Bank loan drawn", line("1110", 3000000), line("2510", -3000000))
	b.add("BNK", start.AddDays(6), "EQ-2", "Laptops and monitors", line("1540", 840000), line("1400", 159600), line("1110", -999600))
	for m := 0; m <= 12; m++ { // twelve full months and the current one, up to today
		b.month(start.AddMonths(m))
	}
	var posted int
	for i := 0; i < len(b.entries); i += 500 {
		batch := b.entries[i:min(i+500, len(b.entries))]
		out, err := l.PostBatch(ctx, companyID, batch)
		if err != nil {
			return posted, fmt.Errorf("demo books: %w", err)
		}
		posted += len(out)
	}
	return posted, nil
}

type demoBook struct {
	l        *ledger.Service
	company  backoffice.ID
	rnd      *rand.Rand
	today    backoffice.Date
	journals map[string]backoffice.ID
	accounts map[string]backoffice.ID
	entries  []ledger.NewEntry
}

func (b *demoBook) load(ctx context.Context) error {
	b.journals, b.accounts = map[string]backoffice.ID{}, map[string]backoffice.ID{}
	js, err := b.l.ListJournals(ctx, b.company)
	if err != nil {
		return err
	}
	for _, j := range js {
		b.journals[j.Code] = j.ID
	}
	list, err := b.l.ListAccounts(ctx, b.company, ledger.AccountFilter{Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
	if err != nil {
		return err
	}
	for _, a := range list.Items {
		b.accounts[a.Code] = a.ID
	}
	return nil
}

type demoLine struct {
	code   string
	amount int64
}

func line(code string, amount int64) demoLine { return demoLine{code, amount} }

// add queues one entry dated on or before today; later dates are not booked yet.
func (b *demoBook) add(journal string, d backoffice.Date, ref, narration string, lines ...demoLine) {
	if d.After(b.today) {
		return
	}
	e := ledger.NewEntry{JournalID: b.journals[journal], Date: d, Reference: ref, Narration: narration,
		IdempotencyKey: fmt.Sprintf("demo:%s:%s:%s", journal, d, ref)}
	for _, l := range lines {
		e.Lines = append(e.Lines, ledger.NewLine{AccountID: b.accounts[l.code], Amount: l.amount})
	}
	b.entries = append(b.entries, e)
}

// cents returns a random amount between lo and hi whole units, in cents.
func (b *demoBook) cents(lo, hi int) int64 {
	return int64(lo+b.rnd.IntN(hi-lo+1))*100 + int64(b.rnd.IntN(100))
}

func (b *demoBook) month(first backoffice.Date) {
	tag := fmt.Sprintf("%d-%02d", first.Year, first.Month)
	b.add("BNK", first, "RENT-"+tag, "Office rent "+tag, line("6100", 240000), line("1110", -240000))
	end := first.AddMonths(1).AddDays(-1)
	b.add("GEN", end, "PAY-"+tag, "Payroll "+tag, line("6010", 1250000), line("6020", 262500), line("2200", -1250000), line("2210", -262500))
	b.add("BNK", end, "NET-"+tag, "Salaries paid "+tag, line("2200", 1250000), line("1110", -1250000))
	b.add("BNK", first.AddMonths(1).AddDays(9), "PTX-"+tag, "Payroll taxes paid "+tag, line("2210", 262500), line("1110", -262500))
	b.add("GEN", end, "DEP-"+tag, "Depreciation "+tag, line("6200", 23333), line("1590", -23333))
	b.add("BNK", end, "FEE-"+tag, "Bank charges "+tag, line("7010", b.cents(18, 45)), line("1110", 0))
	b.fixLastTransfer()
	b.add("BNK", first.AddDays(14), "INT-"+tag, "Loan interest "+tag, line("7020", 11250), line("1110", -11250))
	b.add("CSH", first.AddDays(3), "PC-"+tag, "Coffee and office snacks", line("6120", b.cents(30, 90)), line("1010", 0))
	b.fixLastTransfer()
	b.add("CSH", first.AddDays(4), "PCW-"+tag, "Petty cash withdrawn", line("1010", 20000), line("1110", -20000))
}

// fixLastTransfer makes the last entry's second line the negative of its first.
func (b *demoBook) fixLastTransfer() {
	if len(b.entries) == 0 {
		return
	}
	e := &b.entries[len(b.entries)-1]
	if len(e.Lines) == 2 && e.Lines[1].Amount == 0 {
		e.Lines[1].Amount = -e.Lines[0].Amount
	}
}

// demoToday is the date the demo books run up to.
func demoToday() backoffice.Date { return backoffice.DateOf(time.Now()) }
