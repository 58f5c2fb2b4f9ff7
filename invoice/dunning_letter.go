package invoice

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/party"
	"backoffice/pdf"
)

// dunningLabels are the words of a dunning letter per language.
var dunningLabels = map[string]map[string]string{
	"en": {"title": "Payment reminder", "final": "Final demand", "date": "Date", "customer": "Customer", "level": "Level",
		"invoice": "Invoice", "due": "Due date", "days": "Days overdue", "open": "Open amount", "fee": "Fee", "interest": "Interest",
		"total": "Total", "closing": "If you have paid in the meantime, please disregard this letter.", "bank": "Please pay to"},
	"de": {"title": "Zahlungserinnerung", "final": "Letzte Mahnung", "date": "Datum", "customer": "Kunde", "level": "Mahnstufe",
		"invoice": "Rechnung", "due": "Fällig am", "days": "Tage überfällig", "open": "Offener Betrag", "fee": "Gebühr", "interest": "Zinsen",
		"total": "Summe", "closing": "Sollten Sie inzwischen gezahlt haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.", "bank": "Bitte zahlen Sie auf"},
	"fr": {"title": "Rappel de paiement", "final": "Mise en demeure", "date": "Date", "customer": "Client", "level": "Niveau",
		"invoice": "Facture", "due": "Échéance", "days": "Jours de retard", "open": "Montant dû", "fee": "Frais", "interest": "Intérêts",
		"total": "Total", "closing": "Si vous avez réglé entre-temps, veuillez ne pas tenir compte de ce courrier.", "bank": "Merci de payer sur"},
}

// letterLanguage is the party's language when letters are written in it, else English.
func letterLanguage(lang string) string {
	if _, ok := dunningLabels[lang]; ok {
		return lang
	}
	return "en"
}

type letter struct {
	DunningLetter
	pdf []byte
}

// dunningLetters writes one letter per party of items, in the party's
// language: its address, the level text of each invoice with the
// placeholders filled, and a table of the invoices with their fees.
func (s *Service) dunningLetters(ctx context.Context, companyID backoffice.ID, date backoffice.Date, levels []DunningLevel, items []DunningItem) ([]letter, error) {
	profile, err := s.Party.Profile(ctx, companyID)
	if err != nil {
		return nil, err
	}
	var order []backoffice.ID
	byParty := map[backoffice.ID][]DunningItem{}
	for _, it := range items {
		if _, ok := byParty[it.PartyID]; !ok {
			order = append(order, it.PartyID)
		}
		byParty[it.PartyID] = append(byParty[it.PartyID], it)
	}
	out := make([]letter, 0, len(order))
	for _, id := range order {
		p, err := s.Party.Get(ctx, companyID, id)
		if err != nil {
			return nil, err
		}
		b, lang, err := writeLetter(profile, p, date, levels, byParty[id], s.now())
		if err != nil {
			return nil, fmt.Errorf("dunning letter to %s: %w", p.Name(), err)
		}
		out = append(out, letter{DunningLetter: DunningLetter{PartyID: id, PartyName: p.Name(), Language: lang}, pdf: b})
	}
	return out, nil
}

func writeLetter(sender party.Profile, p party.Party, date backoffice.Date, levels []DunningLevel, items []DunningItem, now time.Time) ([]byte, string, error) {
	lang := letterLanguage(p.Language)
	w := dunningLabels[lang]
	top := 0
	for _, it := range items {
		top = max(top, it.Level)
	}
	title := w["title"]
	if top == len(levels) && top > 1 {
		title = w["final"]
	}
	doc := pdf.New(pdf.Heading{Company: sender.LegalName, Title: title, Period: w["date"] + " " + date.String(), Generated: now})
	if a := sender.Address; a.Lines != "" || a.City != "" {
		doc.Paragraph(strings.Join(nonEmpty(sender.LegalName, strings.ReplaceAll(strings.TrimSpace(a.Lines), "\n", ", "),
			strings.TrimSpace(a.PostalCode+" "+a.City), a.Country), " · "))
	}
	addr := []string{p.LegalName}
	if a := p.Billing; a.Lines != "" || a.City != "" {
		addr = append(addr, strings.TrimSpace(a.Lines), strings.TrimSpace(a.PostalCode+" "+a.City), a.Country)
	}
	doc.Paragraph(strings.Join(addr, "\n"))
	doc.Fields(pdf.Field{Label: w["customer"], Value: p.Name()}, pdf.Field{Label: w["date"], Value: date.String()})
	for _, it := range items {
		doc.Paragraph(fillLetter(levels[it.Level-1].Texts[lang], p.Name(), it))
	}
	t := doc.Table(pdf.Column{Header: w["invoice"], Width: 3}, pdf.Column{Header: w["due"], Width: 2}, pdf.Column{Header: w["level"], Width: 1, Align: pdf.Right},
		pdf.Column{Header: w["days"], Width: 2, Align: pdf.Right}, pdf.Column{Header: w["open"], Width: 3, Align: pdf.Right},
		pdf.Column{Header: w["fee"], Width: 2, Align: pdf.Right}, pdf.Column{Header: w["interest"], Width: 2, Align: pdf.Right})
	totals := map[backoffice.Currency]int64{}
	var currencies []backoffice.Currency
	for _, it := range items {
		t.Add(pdf.Row{Cells: []string{it.Number, it.DueDate.String(), strconv.Itoa(it.Level), strconv.Itoa(it.DaysOverdue),
			pdf.Amount(it.OpenAmount, it.Currency), pdf.Amount(it.Fee, it.Currency), pdf.Amount(it.Interest, it.Currency)}})
		if _, ok := totals[it.Currency]; !ok {
			currencies = append(currencies, it.Currency)
		}
		totals[it.Currency] += it.OpenAmount + it.Fee + it.Interest
	}
	for _, c := range currencies {
		t.Add(pdf.Row{Cells: []string{w["total"], "", "", "", "", "", pdf.Amount(totals[c], c)}, Bold: true, Rule: true})
	}
	if sender.IBAN != "" {
		doc.Fields(pdf.Field{Label: w["bank"], Value: strings.Join(nonEmpty(sender.IBAN, sender.BIC, sender.BankName), " · ")})
	}
	doc.Paragraph(w["closing"])
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), lang, nil
}

// nonEmpty keeps the strings that are not empty.
func nonEmpty(xs ...string) []string {
	out := xs[:0:0]
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// fillLetter replaces the placeholders of a level's text by the invoice's values.
func fillLetter(text, partyName string, it DunningItem) string {
	money := func(minor int64) string { return pdf.Amount(minor, it.Currency) + " " + string(it.Currency) }
	return strings.NewReplacer("{party}", partyName, "{number}", it.Number, "{due_date}", it.DueDate.String(),
		"{open_amount}", money(it.OpenAmount), "{days_overdue}", strconv.Itoa(it.DaysOverdue),
		"{fee}", money(it.Fee), "{interest}", money(it.Interest)).Replace(text)
}

// DunningLetterPDF returns the letter a run sent to a party. With party 0
// the run must have exactly one letter.
func (s *Service) DunningLetterPDF(ctx context.Context, companyID, runID, partyID backoffice.ID) ([]byte, error) {
	run, err := s.GetDunningRun(ctx, companyID, runID)
	if err != nil {
		return nil, err
	}
	if partyID == 0 {
		if len(run.Letters) != 1 {
			return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("dunning run %d has %d letters: name the party", runID, len(run.Letters)),
				Fields: map[string]string{"party": "is required when a run has more than one letter"}}
		}
		partyID = run.Letters[0].PartyID
	}
	var b []byte
	err = s.DB.QueryRowContext(ctx, `SELECT pdf FROM dunning_letters WHERE run_id = ? AND company_id = ? AND party_id = ?`,
		int64(runID), int64(companyID), int64(partyID)).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backoffice.Errorf(backoffice.ENotFound, "dunning run %d sent no letter to party %d", runID, partyID)
	}
	if err != nil {
		return nil, fmt.Errorf("read dunning letter: %w", err)
	}
	return b, nil
}
