package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"backoffice"
	"backoffice/bank"
	"backoffice/bank/reconcile"
	"backoffice/ledger"
	"backoffice/party"
)

// demoBank gives the demo company its bank account and one statement of
// today (MT940, German purpose fields) whose lines pay some of the open
// invoices and bills the way customers really pay: the RF reference, the
// invoice number with a bank fee deducted, a partial payment, a name only,
// and lines no item explains (fees, a refund). The statement is then
// reconciled automatically on import, so the reconciliation screen shows the few
// lines a person has to decide. It does nothing when the account exists.
func demoBank(ctx context.Context, a *app, companyID backoffice.ID, today backoffice.Date, seed uint64) error {
	const iban = "DE89370400440532013000"
	if _, err := a.bank.ByIBAN(ctx, companyID, iban); err == nil {
		return nil
	}
	ledgerBank, err := a.ledger.AccountByCode(ctx, companyID, "1110")
	if err != nil {
		return err
	}
	if _, err := a.bank.Create(ctx, companyID, bank.NewAccount{Name: "Commerzbank current account", IBAN: iban, BIC: "COBADEFFXXX",
		Currency: "EUR", BankName: "Commerzbank", LedgerAccountID: ledgerBank.ID}); err != nil {
		return err
	}
	ps, err := a.party.List(ctx, companyID, party.Filter{WithBlocked: true})
	if err != nil {
		return err
	}
	parties := map[int64]party.Party{}
	for _, p := range ps {
		parties[int64(p.ID)] = p
	}
	rnd := rand.New(rand.NewPCG(seed, 77))
	var lines []string
	add := func(amount int64, name, ibanOf, purpose string) {
		mark := "C"
		if amount < 0 {
			mark, amount = "D", -amount
		}
		var sub strings.Builder
		for i := 0; len(purpose) > 0 && i < 10; i++ {
			n := min(27, len(purpose))
			fmt.Fprintf(&sub, "?%d%s", 20+i, purpose[:n])
			purpose = purpose[n:]
		}
		lines = append(lines, fmt.Sprintf(":61:%s%s%s%d,%02dNTRFNONREF//%d\r\n:86:166?00SEPA-UEBERWEISUNG%s?31%s?32%s\r\n",
			yymmdd(today), yymmdd(today)[2:], mark, amount/100, amount%100, len(lines)+1, sub.String(), ibanOf, name))
	}
	for _, kind := range []string{"receivable", "payable"} {
		items, err := a.ledger.OpenItems(ctx, companyID, ledger.OpenItemFilter{Kind: kind, Page: backoffice.Page{Limit: 60}})
		if err != nil {
			return err
		}
		for i, it := range items.Items {
			if it.Reference == "" || it.Residual == 0 || i%3 == 2 {
				continue // a third stays unpaid
			}
			p := parties[it.PartyID]
			ibanOf := ""
			if len(p.BankAccounts) > 0 {
				ibanOf = p.BankAccounts[0].IBAN
			}
			name := strings.ToUpper(p.Name())
			switch r := rnd.IntN(10); {
			case kind == "payable":
				add(it.Residual, name, ibanOf, "SVWZ+"+it.Reference)
			case r < 6:
				add(it.Residual, name, ibanOf, "SVWZ+"+strings.ReplaceAll(reconcile.RFReference(it.Reference), " ", ""))
			case r < 8:
				add(it.Residual-int64(150+rnd.IntN(400)), name, ibanOf, "SVWZ+Rechnung "+it.Reference+" abzgl. Gebuehren")
			case r < 9:
				add(it.Residual/2, name, ibanOf, "SVWZ+Teilzahlung "+it.Reference)
			default:
				add(it.Residual, name, ibanOf, "SVWZ+Zahlung Kundennr "+fmt.Sprint(it.PartyID))
			}
		}
	}
	add(-1845, "COMMERZBANK AG", "", "SVWZ+Kontofuehrungsentgelt")
	add(-4990, "TELEKOM DEUTSCHLAND GMBH", "DE12500105170648489890", "SVWZ+Mobilfunk Kundenkonto 4471")
	add(23800, "UNBEKANNT", "", "SVWZ+Rueckerstattung")
	var total int64
	for _, l := range lines {
		var whole, cents int64
		mark := l[14]
		fmt.Sscanf(l[15:], "%d,%d", &whole, &cents)
		v := whole*100 + cents
		if mark == 'D' {
			v = -v
		}
		total += v
	}
	sign := "C"
	if total < 0 {
		sign, total = "D", -total
	}
	file := ":20:DEMO\r\n:25:" + iban + "\r\n:28C:1/1\r\n:60F:C" + yymmdd(today) + "EUR0,00\r\n" + strings.Join(lines, "") +
		fmt.Sprintf(":62F:%s%sEUR%d,%02d\r\n-\r\n", sign, yymmdd(today), total/100, total%100)
	// Importing reconciles what the engine is certain of.
	if _, err := a.bank.Import(ctx, companyID, "demo-statement.sta", []byte(file), bank.ImportOptions{}); err != nil {
		return fmt.Errorf("import the demo statement: %w", err)
	}
	return nil
}

// yymmdd is a date as MT940 writes it.
func yymmdd(d backoffice.Date) string {
	return fmt.Sprintf("%02d%02d%02d", d.Year%100, int(d.Month), d.Day)
}
