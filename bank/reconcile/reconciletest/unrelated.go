package reconciletest

import (
	"fmt"
	"strings"

	"backoffice"
	"backoffice/bank/reconcile"
)

// unrelated appends a line that pays no open item: salaries, bank fees,
// card settlements, taxes, a stranger's transfer of an amount some item
// happens to have, and a known customer quoting an invoice already paid.
func (g *gen) unrelated() {
	l := reconcile.StatementLine{ID: backoffice.ID(len(g.set.Lines) + 1), Currency: "EUR",
		BookingDate: g.cfg.Start.AddDays(g.r.IntN(365))}
	l.ValueDate = l.BookingDate
	switch g.r.IntN(6) {
	case 0:
		l.Amount = -int64(180_000 + g.r.IntN(400_000))
		l.CounterpartyName = g.pick(nameFirst) + " " + g.pick([]string{"Anna", "Jan", "Marie", "Luca"})
		l.CounterpartyIBAN = g.iban("DE")
		l.Remittance = fmt.Sprintf("Salary %02d/2026", 1+g.r.IntN(12))
	case 1:
		l.Amount = -int64(500 + g.r.IntN(5000))
		l.Remittance = g.pick([]string{"Account maintenance fee", "Kontoführung", "Frais de tenue de compte"})
	case 2:
		l.Amount = int64(10_000 + g.r.IntN(2_000_000))
		l.CounterpartyName = "WORLDLINE CARD SETTLEMENT"
		l.Remittance = fmt.Sprintf("VISA/MC batch %d", g.r.IntN(100000))
	case 3:
		l.Amount = -int64(100_000 + g.r.IntN(5_000_000))
		l.CounterpartyName = "Finanzamt"
		l.Remittance = "USt-VA 2026"
	case 4:
		it := g.set.Items[g.r.IntN(len(g.set.Items))]
		l.Amount = it.Amount
		l.CounterpartyName = "Stranger " + g.pick(nameSecond)
		l.CounterpartyIBAN = g.iban("NL")
		l.BookingDate, l.ValueDate = it.DueDate, it.DueDate
	default:
		p := g.parties[g.r.IntN(len(g.parties))]
		l.Amount = g.amount()
		l.CounterpartyName, l.CounterpartyIBAN = p.name, p.iban
		l.StructuredRef = strings.ReplaceAll(reconcile.RFReference(fmt.Sprintf("INV-2025-%05d", g.r.IntN(99999))), " ", "")
	}
	g.set.Lines = append(g.set.Lines, l)
	g.set.Scenario[l.ID] = "unrelated"
}
