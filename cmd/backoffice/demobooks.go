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
// loan, monthly rent, payroll, utilities, sales invoices with VAT and their
// payments, supplier bills and payments, depreciation, bank fees and petty
// cash. The random source is seeded, so every demo has the same books; each
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
	var posted []ledger.Entry
	for i := 0; i < len(b.entries); i += 500 {
		batch := b.entries[i:min(i+500, len(b.entries))]
		out, err := l.PostBatch(ctx, companyID, batch)
		if err != nil {
			return len(posted), fmt.Errorf("demo books: %w", err)
		}
		posted = append(posted, out...)
	}
	return len(posted), b.settle(ctx, posted)
}

// settle matches each payment with the invoice or bill it pays, so the
// aging shows only what is really unpaid. A pair settled by an earlier
// load is left as it is.
func (b *demoBook) settle(ctx context.Context, posted []ledger.Entry) error {
	for _, p := range b.pairs {
		if p.doc < 0 || p.pay < 0 {
			continue
		}
		refs := []ledger.LineRef{{EntryID: posted[p.doc].ID, LineNo: p.docLine}, {EntryID: posted[p.pay].ID, LineNo: p.payLine}}
		_, err := b.l.MatchLines(ctx, b.company, refs)
		if err != nil && backoffice.ErrorCode(err) != backoffice.EConflict {
			return fmt.Errorf("demo books: settle %s: %w", posted[p.doc].Reference, err)
		}
	}
	return nil
}

// demoPair is a document entry and the entry that pays it, by index in
// the queued entries (-1 when not booked yet), with their open-item lines.
type demoPair struct{ doc, docLine, pay, payLine int }

type demoBook struct {
	l        *ledger.Service
	company  backoffice.ID
	rnd      *rand.Rand
	today    backoffice.Date
	journals map[string]backoffice.ID
	accounts map[string]backoffice.ID
	entries  []ledger.NewEntry
	invoice  int
	bill     int
	pairs    []demoPair
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

// add queues one entry dated on or before today and returns its index;
// later dates are not booked yet (-1).
func (b *demoBook) add(journal string, d backoffice.Date, ref, narration string, lines ...demoLine) int {
	if d.After(b.today) {
		return -1
	}
	e := ledger.NewEntry{JournalID: b.journals[journal], Date: d, Reference: ref, Narration: narration,
		IdempotencyKey: fmt.Sprintf("demo:%s:%s:%s", journal, d, ref)}
	for _, l := range lines {
		e.Lines = append(e.Lines, ledger.NewLine{AccountID: b.accounts[l.code], Amount: l.amount})
	}
	b.entries = append(b.entries, e)
	return len(b.entries) - 1
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
	for i, n := 0, 8+b.rnd.IntN(7); i < n; i++ {
		b.sale(first.AddDays(b.rnd.IntN(27)))
	}
	for i, n := 0, 5+b.rnd.IntN(4); i < n; i++ {
		b.purchase(first.AddDays(b.rnd.IntN(27)))
	}
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

// sale books an invoice with 19% VAT and, most of the time, its payment.
func (b *demoBook) sale(d backoffice.Date) {
	b.invoice++
	customer := demoCustomers[b.rnd.IntN(len(demoCustomers))]
	net := b.cents(600, 7500)
	vat := net * 19 / 100
	income := "4010"
	if b.rnd.IntN(3) == 0 {
		income = "4020"
	}
	ref := fmt.Sprintf("INV-%d-%04d", d.Year, b.invoice)
	doc := b.add("SAL", d, ref, "Invoice to "+customer, line("1200", net+vat), line(income, -net), line("2100", -vat))
	cost := net * int64(35+b.rnd.IntN(20)) / 100
	if income == "4010" {
		b.add("GEN", d, "COGS-"+ref, "Cost of goods for "+ref, line("5010", cost), line("1300", -cost))
		b.add("PUR", d.AddDays(-5), "STK-"+ref, "Stock bought for "+ref, line("1300", cost), line("1110", -cost))
	}
	if b.rnd.IntN(10) < 8 {
		pay := b.add("BNK", d.AddDays(7+b.rnd.IntN(30)), "RCV-"+ref, customer+" pays "+ref, line("1110", net+vat), line("1200", -(net+vat)))
		b.pairs = append(b.pairs, demoPair{doc, 1, pay, 2})
	}
}

// purchase books a supplier bill with 19% VAT and its payment.
func (b *demoBook) purchase(d backoffice.Date) {
	b.bill++
	supplier := demoSuppliers[b.rnd.IntN(len(demoSuppliers))]
	expense := []string{"6110", "6120", "6130", "6150", "6160", "6170", "6180"}[b.rnd.IntN(7)]
	net := b.cents(40, 1800)
	vat := net * 19 / 100
	ref := fmt.Sprintf("BILL-%d-%04d", d.Year, b.bill)
	doc := b.add("PUR", d, ref, "Bill from "+supplier, line(expense, net), line("1400", vat), line("2010", -(net+vat)))
	pay := b.add("BNK", d.AddDays(10+b.rnd.IntN(20)), "PAY-"+ref, "Paid "+supplier+" "+ref, line("2010", net+vat), line("1110", -(net+vat)))
	b.pairs = append(b.pairs, demoPair{doc, 3, pay, 1})
}

// demoToday is the date the demo books run up to.
func demoToday() backoffice.Date { return backoffice.DateOf(time.Now()) }
