package main

import (
	"context"
	"fmt"
	"math/rand/v2"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
)

// demoCities gives the demo parties addresses, so their documents are
// complete e-invoices.
var demoCities = []struct{ street, postal, city string }{
	{"Hafenstraße 4", "20457", "Hamburg"}, {"Marienplatz 8", "80331", "München"}, {"Königsallee 21", "40212", "Düsseldorf"},
	{"Zeil 112", "60313", "Frankfurt am Main"}, {"Schlossstraße 7", "70173", "Stuttgart"}, {"Breite Straße 30", "50667", "Köln"},
}

// demoInvoices gives a demo company a year of real documents: its customers
// and suppliers as parties, posted invoices (with VAT at 19 % and 7 %) and
// bills, and the payments that settle most of them, allocated to their
// documents. It does nothing when the company has documents already, so a
// second load adds nothing.
func demoInvoices(ctx context.Context, a *app, companyID backoffice.ID, today backoffice.Date, seed uint64) (int, error) {
	if err := a.inv.SetUpCompany(ctx, companyID); err != nil {
		return 0, err
	}
	existing, err := a.inv.List(ctx, companyID, invoice.Filter{Page: backoffice.Page{Limit: 1}})
	if err != nil || len(existing.Items) > 0 {
		return 0, err
	}
	rnd := rand.New(rand.NewPCG(seed, 7))
	customers, err := demoParties(ctx, a, companyID, demoCustomers, party.KindCustomer, rnd)
	if err != nil {
		return 0, err
	}
	suppliers, err := demoParties(ctx, a, companyID, demoSuppliers, party.KindSupplier, rnd)
	if err != nil {
		return 0, err
	}
	bank, err := a.ledger.AccountByCode(ctx, companyID, "1110")
	if err != nil {
		return 0, err
	}
	start := today.AddMonths(-12)
	start = backoffice.NewDate(start.Year, start.Month, 1)
	n := 0
	for m := 0; m <= 12; m++ {
		first := start.AddMonths(m)
		for i, k := 0, 8+rnd.IntN(6); i < k; i++ {
			d := first.AddDays(rnd.IntN(27))
			if d.After(today) {
				continue
			}
			if err := demoSale(ctx, a, companyID, customers[rnd.IntN(len(customers))], d, today, bank.ID, rnd); err != nil {
				return n, err
			}
			n++
		}
		for i, k := 0, 4+rnd.IntN(4); i < k; i++ {
			d := first.AddDays(rnd.IntN(27))
			if d.After(today) {
				continue
			}
			if err := demoPurchase(ctx, a, companyID, suppliers[rnd.IntN(len(suppliers))], d, today, bank.ID, rnd); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// demoParties finds or creates the named parties with an address, payment
// terms and, for most, a valid German VAT id and a Peppol endpoint.
func demoParties(ctx context.Context, a *app, companyID backoffice.ID, names []string, kind party.Kind, rnd *rand.Rand) ([]party.Party, error) {
	var out []party.Party
	for i, name := range names {
		found, err := a.party.List(ctx, companyID, party.Filter{Query: name, Kind: kind})
		if err != nil {
			return nil, err
		}
		if len(found) > 0 {
			out = append(out, found[0])
			continue
		}
		c := demoCities[i%len(demoCities)]
		in := party.Input{Kind: kind, LegalName: name, Currency: "EUR", Language: []string{"de", "en", "fr"}[i%3],
			Billing: party.Address{Lines: c.street, PostalCode: c.postal, City: c.city, Country: "DE"},
			Terms:   party.Terms{NetDays: []int{14, 30, 30, 45}[i%4]}}
		if i%4 != 3 {
			in.VATID = demoVATID(100000000 + rnd.IntN(800000000))
			in.PeppolScheme, in.PeppolID = "9930", in.VATID
		}
		p, _, err := a.party.Create(ctx, companyID, in)
		if err != nil {
			return nil, fmt.Errorf("demo party %s: %w", name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// demoVATID is a German VAT id near n with a valid check digit.
func demoVATID(n int) string {
	for {
		base := n / 10
		for d := range 10 {
			id := fmt.Sprintf("DE%08d%d", base, d)
			if party.CheckVAT(id) == "" {
				return id
			}
		}
		n += 10
	}
}

var demoServices = []struct {
	text, unit, tax string
	lo, hi          int
}{
	{"Consulting", "HUR", "VAT19", 90, 160}, {"Software licence", "C62", "VAT19", 200, 1200}, {"Installation", "HUR", "VAT19", 70, 110},
	{"Training day", "DAY", "VAT19", 600, 1400}, {"Technical handbook", "C62", "VAT7", 20, 60}, {"Support plan", "MON", "VAT19", 150, 500},
}

// demoSale posts an invoice of one to three lines and, for four in five,
// the customer's payment 5 to 40 days later (if that day has come).
func demoSale(ctx context.Context, a *app, companyID backoffice.ID, customer party.Party, d, today backoffice.Date, bank backoffice.ID, rnd *rand.Rand) error {
	in := invoice.Input{Kind: invoice.KindInvoice, PartyID: customer.ID, IssueDate: d}
	for range 1 + rnd.IntN(3) {
		s := demoServices[rnd.IntN(len(demoServices))]
		price := int64(s.lo+rnd.IntN(s.hi-s.lo+1)) * 100
		q := invoice.Quantity((1 + rnd.IntN(8)) * 10000)
		in.Lines = append(in.Lines, invoice.LineInput{Description: s.text, Quantity: q, Unit: s.unit, UnitPrice: &price, TaxCodes: []string{s.tax}})
	}
	return demoPostAndPay(ctx, a, companyID, in, invoice.Received, d.AddDays(5+rnd.IntN(36)), today, bank, rnd.IntN(5) < 4)
}

var demoCosts = []struct {
	text, account string
	lo, hi        int
}{
	{"Office supplies", "6120", 40, 400}, {"Electricity", "6110", 150, 600}, {"Internet and phone", "6130", 60, 180},
	{"Insurance premium", "6150", 200, 900}, {"Accounting services", "6160", 300, 1500}, {"Printing", "6170", 80, 900},
}

// demoPurchase posts a supplier's bill and, for nine in ten, its payment.
func demoPurchase(ctx context.Context, a *app, companyID backoffice.ID, supplier party.Party, d, today backoffice.Date, bank backoffice.ID, rnd *rand.Rand) error {
	c := demoCosts[rnd.IntN(len(demoCosts))]
	acct, err := a.ledger.AccountByCode(ctx, companyID, c.account)
	if err != nil {
		return err
	}
	price := int64(c.lo+rnd.IntN(c.hi-c.lo+1))*100 + int64(rnd.IntN(100))
	in := invoice.Input{Kind: invoice.KindBill, PartyID: supplier.ID, IssueDate: d, SupplierReference: fmt.Sprintf("R-%d-%05d", d.Year, rnd.IntN(100000)),
		Lines: []invoice.LineInput{{Description: c.text, Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}, AccountID: acct.ID}}}
	return demoPostAndPay(ctx, a, companyID, in, invoice.Paid, d.AddDays(7+rnd.IntN(25)), today, bank, rnd.IntN(10) < 9)
}

// demoPostAndPay creates and posts a document and, when pay is set and the
// day has come, records its payment in full.
func demoPostAndPay(ctx context.Context, a *app, companyID backoffice.ID, in invoice.Input, dir invoice.Direction, paid, today backoffice.Date, bank backoffice.ID, pay bool) error {
	d, err := a.inv.Create(ctx, companyID, in)
	if err != nil {
		return fmt.Errorf("demo %s: %w", in.Kind, err)
	}
	if d, err = a.inv.Post(ctx, companyID, d.ID, invoice.PostOptions{}); err != nil {
		return fmt.Errorf("demo %s: %w", in.Kind, err)
	}
	if !pay || paid.After(today) {
		return nil
	}
	_, err = a.inv.CreatePayment(ctx, companyID, invoice.PaymentInput{Direction: dir, PartyID: d.PartyID, Date: paid, AccountID: bank,
		Amount: d.Totals.Payable, Reference: d.Number, Allocations: []invoice.AllocationInput{{DocumentID: d.ID, Amount: d.Totals.Payable}}})
	if err != nil {
		return fmt.Errorf("demo payment of %s: %w", d.Number, err)
	}
	return nil
}
