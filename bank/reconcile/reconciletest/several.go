package reconciletest

import (
	"slices"
	"strings"

	"backoffice/bank/reconcile"
)

// several takes two to four unpaid items of one customer, due within six
// weeks of each other, as customers pay what fell due together.
func (g *gen) several() (*person, []int, int64) {
	for range 50 {
		p := g.parties[g.r.IntN(len(g.parties))]
		if p.supplier || len(p.items) < 2 {
			continue
		}
		first := g.set.Items[p.items[g.r.IntN(len(p.items))]].DueDate
		var near []int // positions in p.items
		for k, i := range p.items {
			if d := first.DaysUntil(g.set.Items[i].DueDate); d >= -42 && d <= 42 {
				near = append(near, k)
			}
		}
		n := min(len(near), 2+g.r.IntN(3))
		if n < 2 {
			continue
		}
		g.r.Shuffle(len(near), func(a, b int) { near[a], near[b] = near[b], near[a] })
		near = near[:n]
		slices.Sort(near)
		var items []int
		var sum int64
		for k := len(near) - 1; k >= 0; k-- {
			i := p.items[near[k]]
			items = append(items, i)
			sum += g.set.Items[i].Amount
			p.items = slices.Delete(p.items, near[k], near[k]+1)
		}
		slices.SortFunc(items, func(a, b int) int { return g.set.Items[a].DueDate.Compare(g.set.Items[b].DueDate) })
		return p, items, sum
	}
	return nil, nil, 0
}

func (g *gen) severalNamed() bool {
	p, items, sum := g.several()
	if items == nil {
		return false
	}
	var docs []string
	for _, i := range items {
		docs = append(docs, g.docWritten(g.set.Items[i].DocumentNumber))
	}
	g.line(p, sum, items, func(l *reconcile.StatementLine) { l.Remittance = "Invoices " + strings.Join(docs, ", ") })
	return true
}

func (g *gen) severalUnnamed() bool {
	p, items, sum := g.several()
	if items == nil {
		return false
	}
	g.line(p, sum, items, func(l *reconcile.StatementLine) { l.Remittance = "Sammelzahlung" })
	return true
}

func (g *gen) severalOneRef() bool {
	p, items, sum := g.several()
	if items == nil {
		return false
	}
	g.line(p, sum, items, func(l *reconcile.StatementLine) { l.Remittance = g.printedRef(&g.set.Items[items[0]]) })
	return true
}

// wrongRef pays one invoice's amount quoting another invoice (of another
// amount) of the same customer: the amount tells the truth.
func (g *gen) wrongRef() bool {
	p, items, _ := g.several()
	if items == nil {
		return false
	}
	paid, quoted := &g.set.Items[items[0]], &g.set.Items[items[1]]
	for _, i := range items[1:] {
		p.items = append(p.items, i)
	}
	if paid.Amount == quoted.Amount {
		return false
	}
	g.line(p, paid.Amount, items[:1], func(l *reconcile.StatementLine) { l.Remittance = g.printedRef(quoted) })
	return true
}

// creditDeducted pays an invoice less one of the customer's credit notes,
// naming both or quoting only the invoice's reference.
func (g *gen) creditDeducted() bool {
	for range 50 {
		p := g.parties[g.r.IntN(len(g.parties))]
		if len(p.credits) == 0 || len(p.items) == 0 {
			continue
		}
		k := g.r.IntN(len(p.items))
		inv, cn := p.items[k], p.credits[0]
		if g.set.Items[inv].Amount+g.set.Items[cn].Amount <= 0 {
			continue
		}
		p.items = slices.Delete(p.items, k, k+1)
		p.credits = p.credits[1:]
		invoice, credit := &g.set.Items[inv], &g.set.Items[cn]
		g.line(p, invoice.Amount+credit.Amount, []int{inv, cn}, func(l *reconcile.StatementLine) {
			l.Remittance = g.printedRef(invoice)
			if g.r.IntN(2) == 0 {
				l.Remittance = g.docWritten(invoice.DocumentNumber) + g.pick([]string{" minus ", " ./. ", " less "}) + credit.DocumentNumber
			}
		})
		return true
	}
	return false
}
