package reconciletest

import (
	"fmt"
	"slices"
	"strings"

	"backoffice"
	"backoffice/bank/reconcile"
)

// scenario makes the lines that pay some open items, with one kind of noise.
type scenario struct {
	name   string
	weight int
	make   func(g *gen) bool // false when it found nothing to pay
}

// scenarios are the kinds of paying lines, weighted as a mid-sized European
// company sees them: most customers quote the printed reference, some write
// the invoice number by hand, some pay several invoices at once or deduct a
// fee; a few give nothing usable but their name.
var scenarios = []scenario{
	{"structured reference", 30, (*gen).structured},
	{"reference in free text", 10, (*gen).refInText},
	{"invoice number in free text", 12, (*gen).docInText},
	{"invoice number with OCR typos", 5, (*gen).docOCR},
	{"no reference, known IBAN", 8, (*gen).ibanOnly},
	{"foreign payer without IBAN", 6, (*gen).foreign},
	{"bank fee deducted", 6, (*gen).fee},
	{"partial payment", 4, (*gen).partial},
	{"instalments", 2, (*gen).instalments},
	{"several invoices, numbers listed", 4, (*gen).severalNamed},
	{"several invoices, no reference", 3, (*gen).severalUnnamed},
	{"our payment file (end-to-end id)", 6, (*gen).ourPayment},
	{"our payment, bill reference in text", 2, (*gen).billRef},
	{"name only, no reference, no IBAN", 2, (*gen).nameOnly},
	{"reference with a typo", 2, (*gen).refTypo},
	{"same invoice paid twice", 1, (*gen).paidTwice},
	{"several invoices, one reference quoted", 2, (*gen).severalOneRef},
	{"another invoice's reference quoted", 1, (*gen).wrongRef},
	{"credit note deducted", 2, (*gen).creditDeducted},
}

func (g *gen) makeLines() {
	total := 0
	for _, s := range scenarios {
		total += s.weight
	}
	unrelated := g.cfg.Lines / 10
	for tries := 0; len(g.set.Lines) < g.cfg.Lines-unrelated && tries < 20*g.cfg.Lines; tries++ {
		n := g.r.IntN(total)
		for _, s := range scenarios {
			if n -= s.weight; n < 0 {
				before := len(g.set.Lines)
				if s.make(g) {
					for _, l := range g.set.Lines[before:] {
						g.set.Scenario[l.ID] = s.name
					}
				}
				break
			}
		}
	}
	for len(g.set.Lines) < g.cfg.Lines {
		g.unrelated()
	}
	g.r.Shuffle(len(g.set.Lines), func(i, j int) { g.set.Lines[i], g.set.Lines[j] = g.set.Lines[j], g.set.Lines[i] })
}

// takeItem removes and returns a random unpaid item of a party that is (or
// is not) a supplier, or -1.
func (g *gen) takeItem(supplier bool) (*person, int) {
	for range 50 {
		p := g.parties[g.r.IntN(len(g.parties))]
		if p.supplier != supplier || len(p.items) == 0 {
			continue
		}
		k := g.r.IntN(len(p.items))
		i := p.items[k]
		p.items = slices.Delete(p.items, k, k+1)
		return p, i
	}
	return nil, -1
}

// line appends a line paying items (by index) and records the truth.
func (g *gen) line(p *person, amount int64, items []int, set func(l *reconcile.StatementLine)) {
	due := g.set.Items[items[0]].DueDate
	l := reconcile.StatementLine{ID: backoffice.ID(len(g.set.Lines) + 1), Amount: amount, Currency: g.set.Items[items[0]].Currency,
		BookingDate: due.AddDays(g.r.IntN(50) - 20), CounterpartyName: g.payerName(p), CounterpartyIBAN: p.iban,
		BankRef: fmt.Sprintf("BNK%010d", g.r.Int64N(1e10))}
	l.ValueDate = l.BookingDate
	if set != nil {
		set(&l)
	}
	ids := make([]backoffice.ID, len(items))
	for k, i := range items {
		ids[k] = g.set.Items[i].ID
	}
	slices.Sort(ids)
	g.set.Truth[l.ID] = ids
	g.set.Lines = append(g.set.Lines, l)
}

// payerName is the party's name as a bank prints it: upper-cased, legal
// form spelt otherwise, accents dropped, cut to 35 characters, now and then
// with a typo.
func (g *gen) payerName(p *person) string {
	n := p.name
	switch g.r.IntN(6) {
	case 0:
		n = strings.ToUpper(n)
	case 1:
		n = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "é", "e", "è", "e", "ø", "o", "à", "a", "í", "i", "á", "a").Replace(strings.ToUpper(n))
	case 2:
		n = g.typo(n)
	case 3:
		n = strings.Fields(n)[0] + " " + strings.Join(strings.Fields(n)[1:], " ") + " " + g.pick([]string{"BERLIN", "PARIS", "GENT", "ZUERICH", "MILANO"})
	}
	if len(n) > 35 {
		n = n[:35]
	}
	return n
}

// typo replaces, drops or swaps one letter of s (never the first).
func (g *gen) typo(s string) string {
	b := []rune(s)
	if len(b) < 6 {
		return s
	}
	k := 1 + g.r.IntN(len(b)-2)
	switch g.r.IntN(3) {
	case 0:
		b[k] = rune('a' + g.r.IntN(26))
	case 1:
		b = slices.Delete(b, k, k+1)
	default:
		b[k], b[k+1] = b[k+1], b[k]
	}
	return string(b)
}

// printedRef is the item's reference as a payer types it.
func (g *gen) printedRef(it *reconcile.OpenItem) string {
	r, ok := reconcile.ParseReference(it.Reference)
	if !ok {
		return it.Reference
	}
	switch g.r.IntN(3) {
	case 0:
		return r.Value
	case 1:
		return strings.ToLower(r.String())
	}
	return r.String()
}

func (g *gen) structured() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) {
		if r, ok := reconcile.ParseReference(it.Reference); ok {
			l.StructuredRef = r.Value
		}
	})
	return true
}

func (g *gen) refInText() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) {
		l.Remittance = g.pick([]string{"Payment ", "Zahlung ", "Paiement facture ", "", "Ref: "}) + g.printedRef(it) + g.pick([]string{"", " thank you", " / " + p.name})
	})
	return true
}

// docWritten is a document number as people type it.
func (g *gen) docWritten(doc string) string {
	parts := strings.Split(doc, "-") // INV 2026 00042
	switch g.r.IntN(5) {
	case 0:
		return strings.ToLower(doc)
	case 1:
		return strings.Join(parts, " ")
	case 2:
		return parts[1] + "-" + parts[2] // digits only
	case 3:
		return parts[0] + parts[1] + parts[2]
	}
	return doc
}

func (g *gen) docInText() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) {
		l.Remittance = g.pick([]string{"Invoice ", "Rechnung ", "Facture n° ", "Fact. ", "Re: "}) + g.docWritten(it.DocumentNumber) + g.pick([]string{"", " Kd-Nr 4711", " customer 12"})
	})
	return true
}

func (g *gen) docOCR() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	ocr := strings.NewReplacer("0", "O", "1", "I", "5", "S").Replace(it.DocumentNumber)
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) { l.Remittance = "Invoice " + ocr })
	return true
}

func (g *gen) ibanOnly() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	g.line(p, g.set.Items[i].Amount, []int{i}, func(l *reconcile.StatementLine) {
		l.Remittance = g.pick([]string{"", "Payment", "Danke", "Order 2026"})
	})
	return true
}

func (g *gen) foreign() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) {
		l.CounterpartyIBAN = ""
		l.CounterpartyName = g.typo(strings.ToUpper(p.name))
		l.Remittance = "/RFB/" + g.printedRef(it)
	})
	return true
}

func (g *gen) fee() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	fee := max(1, min(2500, it.Amount*int64(1+g.r.IntN(15))/1000)) // 0.1%–1.5%, at most 25.00
	g.line(p, it.Amount-fee, []int{i}, func(l *reconcile.StatementLine) { l.Remittance = g.printedRef(it) })
	return true
}

func (g *gen) partial() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount*int64(30+g.r.IntN(41))/100, []int{i}, func(l *reconcile.StatementLine) {
		l.Remittance = "Partial payment " + g.printedRef(it)
	})
	return true
}

func (g *gen) instalments() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	first := it.Amount / 2
	g.line(p, first, []int{i}, func(l *reconcile.StatementLine) { l.Remittance = "1/2 " + g.printedRef(it) })
	firstDate := g.set.Lines[len(g.set.Lines)-1].BookingDate
	g.line(p, it.Amount-first, []int{i}, func(l *reconcile.StatementLine) {
		l.Remittance = "2/2 " + g.printedRef(it)
		l.BookingDate = firstDate.AddDays(30)
		l.ValueDate = l.BookingDate
	})
	return true
}

func (g *gen) ourPayment() bool {
	p, i := g.takeItem(true)
	if i < 0 || g.set.Items[i].EndToEndID == "" {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) {
		l.EndToEndID = it.EndToEndID
		l.Remittance = it.Reference
		if g.r.IntN(2) == 0 {
			l.Remittance = ""
		}
	})
	return true
}

func (g *gen) billRef() bool {
	p, i := g.takeItem(true)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) { l.Remittance = "Your invoice " + it.Reference })
	return true
}

func (g *gen) nameOnly() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	g.line(p, g.set.Items[i].Amount, []int{i}, func(l *reconcile.StatementLine) {
		l.CounterpartyIBAN = ""
		l.CounterpartyName = g.typo(p.name)
	})
	return true
}

// refTypo quotes the invoice's reference with one error: a character
// replaced, two swapped, or one dropped, in the structured field or in the
// text.
func (g *gen) refTypo() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	r, _ := reconcile.ParseReference(it.Reference)
	b := []byte(r.Value)
	k := 2 + g.r.IntN(len(b)-3) // never the "RF" nor the last character
	switch g.r.IntN(3) {
	case 0:
		if isDigit := b[k] >= '0' && b[k] <= '9'; isDigit {
			b[k] = byte('0' + (int(b[k]-'0')+1+g.r.IntN(8))%10)
		} else {
			b[k] = byte('A' + (int(b[k]-'A')+1+g.r.IntN(24))%26)
		}
	case 1:
		b[k], b[k+1] = b[k+1], b[k]
	default:
		b = append(b[:k], b[k+1:]...)
	}
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) {
		if g.r.IntN(2) == 0 {
			l.StructuredRef = string(b)
		} else {
			l.Remittance = "Payment " + string(b)
		}
	})
	return true
}

// paidTwice pays one invoice twice with the same reference: the first line
// pays it, the second pays nothing open (a person refunds or keeps it).
func (g *gen) paidTwice() bool {
	p, i := g.takeItem(false)
	if i < 0 {
		return false
	}
	it := &g.set.Items[i]
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) { l.Remittance = g.printedRef(it) })
	first := g.set.Lines[len(g.set.Lines)-1].BookingDate
	g.line(p, it.Amount, []int{i}, func(l *reconcile.StatementLine) {
		l.Remittance = g.printedRef(it)
		l.BookingDate = first.AddDays(1 + g.r.IntN(10))
		l.ValueDate = l.BookingDate
	})
	delete(g.set.Truth, g.set.Lines[len(g.set.Lines)-1].ID)
	return true
}
