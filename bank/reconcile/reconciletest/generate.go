// Package reconciletest generates realistic, noisy reconciliation data with
// its known truth, and scores the engine's proposals against it. The tests
// of bank/reconcile and the B7 benchmark (bench/reconcile.go) use it.
package reconciletest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"backoffice"
	"backoffice/bank/reconcile"
)

// Config sizes a generated set. The same Config always gives the same set.
type Config struct {
	Seed    uint64
	Items   int // open items
	Parties int // parties owning them; 0 means Items/10
	Lines   int // statement lines; about a tenth are unrelated to any item
	Start   backoffice.Date
}

// Set is a generated set with its truth.
type Set struct {
	Items []reconcile.OpenItem
	Lines []reconcile.StatementLine
	// Truth maps each paying line to the items it pays, sorted; unrelated
	// lines (salaries, fees, card settlements, stale references) are absent.
	Truth map[backoffice.ID][]backoffice.ID
	// Scenario names the noise each line was made with, for reports.
	Scenario map[backoffice.ID]string
}

// person is a generated party.
type person struct {
	id       backoffice.ID
	name     string
	country  string
	iban     string
	supplier bool
	currency backoffice.Currency // the currency the party is invoiced in
	flat     int64               // a subscription's fixed amount, or 0
	items    []int               // indexes into Set.Items not yet paid
	credits  []int               // the customer's open credit notes, not yet deducted
}

// gen carries the generator's state.
type gen struct {
	r       *rand.Rand
	cfg     Config
	set     *Set
	parties []*person
	nextRef int
}

var (
	nameFirst = []string{"Acme", "Nordwind", "Bergmann", "Lumière", "Schäfer", "Dupont", "Van den Berg", "Rossi", "García", "Müller",
		"Zeller", "Kowalski", "Novák", "Sørensen", "Andersson", "O'Brien", "Fischer", "Lefèvre", "Bianchi", "Jansen",
		"Weber", "Moreau", "Hoffmann", "Costa", "Peeters", "Keller", "Blanc", "Wagner", "Fontaine", "Ricci"}
	nameSecond = []string{"Trading", "Logistics", "Bau", "Consulting", "Software", "Elektro", "Immobilien", "Foods", "Textil", "Medical",
		"Systems", "Holz", "Transport", "Druck", "Optik", "Garten", "Metall", "Pharma", "Energie", "Design",
		"Papier", "Reisen", "Kaffee", "Möbel", "Glas", "Verpackung", "Analytics", "Marine", "Sport", "Studio"}
	nameThird = []string{"", "", "Nord", "Süd", "International", "Partners", "& Söhne", "Group", "Services", "Europe"}
	forms     = map[string][]string{"DE": {"GmbH", "AG", "KG"}, "FR": {"SARL", "SAS", "S.A."}, "BE": {"NV", "BVBA", "SA"},
		"CH": {"AG", "GmbH", "Sàrl"}, "NL": {"B.V.", "N.V."}, "IT": {"S.p.A.", "S.r.l."}, "ES": {"S.L.", "S.A."},
		"GB": {"Ltd", "PLC"}, "US": {"Inc.", "LLC", "Corp."}}
	countries = []string{"DE", "DE", "DE", "FR", "FR", "BE", "BE", "CH", "NL", "NL", "IT", "ES", "GB", "US"}
)

// Generate builds the set described by cfg.
func Generate(cfg Config) *Set {
	if cfg.Parties == 0 {
		cfg.Parties = max(1, cfg.Items/10)
	}
	if cfg.Start.IsZero() {
		cfg.Start = backoffice.NewDate(2026, 1, 1)
	}
	g := &gen{r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), cfg: cfg,
		set: &Set{Truth: map[backoffice.ID][]backoffice.ID{}, Scenario: map[backoffice.ID]string{}}}
	g.makeParties()
	g.makeItems()
	g.makeLines()
	return g.set
}

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) makeParties() {
	seen := map[string]bool{}
	for i := range g.cfg.Parties {
		p := &person{id: backoffice.ID(1000 + i), country: g.pick(countries), supplier: g.r.IntN(5) == 0}
		for {
			p.name = strings.TrimSpace(g.pick(nameFirst) + " " + g.pick(nameSecond) + " " + g.pick(nameThird))
			if seen[p.name] && len(seen) < len(nameFirst)*len(nameSecond)*len(nameThird)/2 {
				continue
			}
			if seen[p.name] {
				p.name += fmt.Sprintf(" %d", i)
			}
			seen[p.name] = true
			p.name += " " + g.pick(forms[p.country])
			break
		}
		p.iban = g.iban(p.country)
		p.currency = "EUR"
		if p.country == "CH" && g.r.IntN(2) == 0 {
			p.currency = "CHF" // the company keeps a CHF account for Swiss customers
		}
		if g.r.IntN(4) == 0 {
			p.flat = g.amount()
		}
		g.parties = append(g.parties, p)
	}
}

// iban makes an IBAN-shaped account number with valid check digits.
func (g *gen) iban(country string) string {
	n := map[string]int{"DE": 18, "FR": 23, "BE": 12, "CH": 17, "NL": 14, "IT": 23, "ES": 20, "GB": 18, "US": 18}[country]
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	bban := b.String()
	rem := 0
	for _, c := range bban + country + "00" {
		if c >= 'A' {
			rem = (rem*100 + int(c-'A') + 10) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return fmt.Sprintf("%s%02d%s", country, 98-rem, bban)
}

// amount is log-uniform between 20.00 and 20,000.00, rounded to cents or,
// one time in three, to whole euros.
func (g *gen) amount() int64 {
	a := int64(2000 * math.Pow(10, g.r.Float64()*3))
	if g.r.IntN(3) == 0 {
		a -= a % 100
	}
	return a
}

func (g *gen) makeItems() {
	for i := range g.cfg.Items {
		// A few parties own many items: the square skews the draw.
		f := g.r.Float64()
		p := g.parties[int(f*f*float64(len(g.parties)))]
		it := reconcile.OpenItem{ID: backoffice.ID(100_000 + i), PartyID: p.id, PartyName: p.name,
			PartyIBANs: []string{p.iban}, Currency: p.currency,
			DueDate: g.cfg.Start.AddDays(g.r.IntN(365))}
		amount := g.amount()
		if p.flat != 0 {
			amount = p.flat
		}
		if p.supplier {
			it.Kind, it.Amount = reconcile.Payable, -amount
			it.DocumentNumber = fmt.Sprintf("BILL-2026-%05d", i+1)
			it.Reference = fmt.Sprintf("%s-%d/%04d", g.pick([]string{"R", "F", "RE", "FAC"}), 2026, g.r.IntN(10000))
			if g.r.IntN(10) < 7 {
				it.EndToEndID = fmt.Sprintf("PMT-2026-%07d", i+1)
			}
		} else if p.flat == 0 && g.r.IntN(20) == 0 {
			// A credit note: the customer deducts it from a later payment.
			it.Kind, it.Amount = reconcile.Receivable, -max(100, amount/4)
			it.DocumentNumber = fmt.Sprintf("CN-2026-%05d", i+1)
			p.credits = append(p.credits, len(g.set.Items))
			g.set.Items = append(g.set.Items, it)
			continue
		} else {
			it.Kind, it.Amount = reconcile.Receivable, amount
			it.DocumentNumber = fmt.Sprintf("INV-2026-%05d", i+1)
			switch p.country {
			case "BE":
				it.Reference = reconcile.BelgianReference(uint64(2026_00000 + i + 1))
			case "CH":
				it.Reference = reconcile.QRReference(fmt.Sprintf("%d%08d", p.id, i+1))
			default:
				it.Reference = reconcile.RFReference(it.DocumentNumber)
			}
		}
		p.items = append(p.items, len(g.set.Items))
		g.set.Items = append(g.set.Items, it)
	}
}
