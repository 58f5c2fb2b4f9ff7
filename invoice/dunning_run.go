package invoice

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// DunningItem is an overdue invoice and the level a run on Date takes it
// to. Amounts are minor units of the invoice's currency: OpenAmount what is
// still open, Fee the level's fee, Interest the level's yearly rate on the
// open amount for the days overdue.
type DunningItem struct {
	DocumentID   backoffice.ID       `json:"document_id"`
	Number       string              `json:"number"`
	PartyID      backoffice.ID       `json:"party_id"`
	PartyName    string              `json:"party_name"`
	DueDate      backoffice.Date     `json:"due_date"`
	DaysOverdue  int                 `json:"days_overdue"`
	Currency     backoffice.Currency `json:"currency"`
	OpenAmount   int64               `json:"open_amount"`
	CurrentLevel int                 `json:"current_level"`
	Level        int                 `json:"level"`
	Fee          int64               `json:"fee"`
	Interest     int64               `json:"interest"`
	FeeDocument  backoffice.ID       `json:"fee_document_id,omitempty"` // the posted fee invoice, after the run
}

// DunningSkip is an overdue invoice a run leaves out, and why.
type DunningSkip struct {
	DocumentID  backoffice.ID `json:"document_id"`
	Number      string        `json:"number"`
	PartyName   string        `json:"party_name"`
	DaysOverdue int           `json:"days_overdue"`
	Level       int           `json:"current_level"`
	Reason      string        `json:"reason"`
}

// DunningPreview is what a run on Date would do.
type DunningPreview struct {
	Date    backoffice.Date `json:"date"`
	Levels  []DunningLevel  `json:"levels"`
	Items   []DunningItem   `json:"items"`
	Skipped []DunningSkip   `json:"skipped"`
}

// PreviewDunning lists the company's posted invoices overdue on date with
// the level a run would take each to: the next level after the one it
// has, never skipping one, once its days overdue reach that level and, for
// a second or later level, once the days between the two levels have
// passed since the last run dunned it. Invoices or parties on hold, and
// invoices the party's open credit notes cover, are listed as skipped.
// Fee invoices of earlier runs are not dunned themselves.
func (s *Service) PreviewDunning(ctx context.Context, companyID backoffice.ID, date backoffice.Date) (DunningPreview, error) {
	if date.IsZero() {
		return DunningPreview{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "give the date the run is for", Fields: map[string]string{"date": "is required"}}
	}
	levels, err := s.DunningLevels(ctx, companyID)
	if err != nil {
		return DunningPreview{}, err
	}
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return DunningPreview{}, err
	}
	docs, err := s.overdueInvoices(ctx, companyID, date)
	if err != nil {
		return DunningPreview{}, err
	}
	bs, err := s.Balances(ctx, companyID, docs)
	if err != nil {
		return DunningPreview{}, err
	}
	reached, err := dunnedLevels(ctx, s.DB, companyID)
	if err != nil {
		return DunningPreview{}, err
	}
	holds, err := dunningHolds(ctx, s.DB, companyID)
	if err != nil {
		return DunningPreview{}, err
	}
	credits := map[backoffice.ID]map[backoffice.Currency]int64{}
	p := DunningPreview{Date: date, Levels: levels, Items: []DunningItem{}, Skipped: []DunningSkip{}}
	for _, d := range docs {
		open := bs[d.ID].Open
		if open <= 0 {
			continue
		}
		days := d.DueDate.DaysUntil(date)
		cur := reached[d.ID]
		skip := func(reason string) {
			p.Skipped = append(p.Skipped, DunningSkip{DocumentID: d.ID, Number: d.Number, PartyName: d.PartyName, DaysOverdue: days, Level: cur.level, Reason: reason})
		}
		if cur.level >= len(levels) {
			skip(fmt.Sprintf("reached the last level (%d) on %s", cur.level, cur.date))
			continue
		}
		next := levels[cur.level]
		if days < next.DaysOverdue {
			continue // not yet due for its next level: nothing to say
		}
		if cur.level > 0 {
			interval := next.DaysOverdue - levels[cur.level-1].DaysOverdue
			if since := cur.date.DaysUntil(date); since < interval {
				skip(fmt.Sprintf("dunned at level %d on %s: level %d not before %s", cur.level, cur.date, next.Level, cur.date.AddDays(interval)))
				continue
			}
		}
		if reason, ok := holds[HoldInvoice][d.ID]; ok {
			skip("invoice on hold: " + reason)
			continue
		}
		if reason, ok := holds[HoldParty][d.PartyID]; ok {
			skip("party on hold: " + reason)
			continue
		}
		if _, ok := credits[d.PartyID]; !ok {
			if credits[d.PartyID], err = s.openCredits(ctx, companyID, d.PartyID); err != nil {
				return DunningPreview{}, err
			}
		}
		if c := credits[d.PartyID][d.Currency]; c >= open {
			skip(fmt.Sprintf("the party's open credit notes (%s) cover it", backoffice.NewMoney(c, d.Currency)))
			continue
		}
		it := DunningItem{DocumentID: d.ID, Number: d.Number, PartyID: d.PartyID, PartyName: d.PartyName, DueDate: d.DueDate, DaysOverdue: days,
			Currency: d.Currency, OpenAmount: open, CurrentLevel: cur.level, Level: next.Level, Interest: interest(open, next.InterestPercent, days)}
		// The fee is set in the company currency: an invoice in another
		// currency is charged its interest only.
		if d.Currency == base {
			it.Fee = next.Fee
		}
		p.Items = append(p.Items, it)
	}
	return p, nil
}

// interest is open × rate × days / 365, rounded half up, in big integers
// since open × rate × days overflows int64 for large amounts.
func interest(open int64, rate Percent, days int) int64 {
	if rate == 0 || days <= 0 {
		return 0
	}
	n := new(big.Int).Mul(big.NewInt(open), big.NewInt(int64(rate)))
	n.Mul(n, big.NewInt(int64(days)))
	den := big.NewInt(100 * pow10(fixedPlaces) * 365)
	n.Add(n, new(big.Int).Quo(den, big.NewInt(2)))
	return n.Quo(n, den).Int64()
}

// overdueInvoices are the company's posted invoices due before date with
// something open, oldest due date first, without fee invoices of runs.
func (s *Service) overdueInvoices(ctx context.Context, companyID backoffice.ID, date backoffice.Date) ([]Document, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+documentColumns+documentFrom+` WHERE d.company_id = ? AND d.kind = ? AND d.state = ? AND d.due_date < ?
		AND EXISTS (SELECT 1 FROM ledger_open_items o WHERE o.entry_id = d.entry_id AND o.settled_on IS NULL AND o.residual <> 0)
		AND NOT EXISTS (SELECT 1 FROM dunning_run_items f WHERE f.company_id = d.company_id AND f.fee_document_id = d.id)
		ORDER BY d.due_date, d.id`, int64(companyID), string(KindInvoice), string(StatePosted), date)
	if err != nil {
		return nil, fmt.Errorf("list overdue invoices: %w", err)
	}
	var docs []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list overdue invoices: %w", err)
		}
		docs = append(docs, d)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("list overdue invoices: %w", err)
	}
	for i := range docs {
		if err := loadInstallments(ctx, s.DB, &docs[i]); err != nil {
			return nil, err
		}
	}
	return docs, nil
}

// openCredits sums what is open of the party's posted credit notes per
// currency: credit the customer has with us and may settle invoices with.
func (s *Service) openCredits(ctx context.Context, companyID, partyID backoffice.ID) (map[backoffice.Currency]int64, error) {
	open, err := s.OpenDocuments(ctx, companyID, partyID, true)
	if err != nil {
		return nil, err
	}
	out := map[backoffice.Currency]int64{}
	for _, d := range open {
		if d.Kind == KindCreditNote {
			out[d.Currency] += d.Balance.Open
		}
	}
	return out, nil
}

type dunned struct {
	level int
	date  backoffice.Date
}

// dunnedLevels is the highest level each invoice of the company reached and
// the date of the run that took it there.
func dunnedLevels(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (map[backoffice.ID]dunned, error) {
	rows, err := q.QueryContext(ctx, `SELECT document_id, level, run_date FROM dunning_run_items WHERE company_id = ?`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read dunning levels reached: %w", err)
	}
	defer rows.Close()
	out := map[backoffice.ID]dunned{}
	for rows.Next() {
		var id int64
		var x dunned
		if err := rows.Scan(&id, &x.level, &x.date); err != nil {
			return nil, fmt.Errorf("read dunning levels reached: %w", err)
		}
		if x.level > out[backoffice.ID(id)].level {
			out[backoffice.ID(id)] = x
		}
	}
	return out, rows.Err()
}

// DunningRunInput says which run to post: the date and, optionally, the
// invoices of the preview to dun (none = all of them).
type DunningRunInput struct {
	Date        backoffice.Date `json:"date"`
	DocumentIDs []backoffice.ID `json:"document_ids,omitempty"`
}

// DunningLetter is a stored letter of a run: one PDF per party.
type DunningLetter struct {
	PartyID   backoffice.ID `json:"party_id"`
	PartyName string        `json:"party_name"`
	Language  string        `json:"language"`
}

// DunningRun is a posted run: the invoices it dunned with their new level
// and fee invoices, and its letters.
type DunningRun struct {
	ID           backoffice.ID   `json:"id"`
	CompanyID    backoffice.ID   `json:"company_id"`
	Date         backoffice.Date `json:"date"`
	InvoiceCount int             `json:"invoice_count"`
	LetterCount  int             `json:"letter_count"`
	CreatedBy    string          `json:"created_by"`
	CreatedAt    time.Time       `json:"created_at"`
	Items        []DunningItem   `json:"items"`
	Letters      []DunningLetter `json:"letters"`
}

// PostDunning posts a run on in.Date: it takes the preview (of the chosen
// invoices), records each invoice's new level, posts one fee invoice per
// invoice that has a fee or interest (income account 4100 for the fee and
// 4110 for the interest, tax code OUTSIDE: a reminder fee is damages, not a
// supply), so the fee is an open receivable of the party in the aging, and
// stores one letter per party in the party's language. All in one
// transaction with the change log: nothing is stored on any error.
func (s *Service) PostDunning(ctx context.Context, companyID backoffice.ID, in DunningRunInput) (DunningRun, error) {
	p, err := s.PreviewDunning(ctx, companyID, in.Date)
	if err != nil {
		return DunningRun{}, err
	}
	items, err := chooseItems(p, in.DocumentIDs)
	if err != nil {
		return DunningRun{}, err
	}
	fees, err := s.prepareFees(ctx, companyID, p.Date, items)
	if err != nil {
		return DunningRun{}, err
	}
	letters, err := s.dunningLetters(ctx, companyID, p.Date, p.Levels, items)
	if err != nil {
		return DunningRun{}, err
	}
	run := DunningRun{CompanyID: companyID, Date: p.Date, InvoiceCount: len(items), LetterCount: len(letters), CreatedBy: backoffice.ActorFrom(ctx).Label(),
		CreatedAt: s.now(), Items: items}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO dunning_runs (company_id, run_date, invoice_count, letter_count, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, int64(companyID), run.Date, run.InvoiceCount, run.LetterCount, run.CreatedBy, run.CreatedAt).Scan(&run.ID); err != nil {
			return fmt.Errorf("record dunning run: %w", err)
		}
		var changes []audit.Change
		for i := range run.Items {
			it := &run.Items[i]
			if f := fees[it.DocumentID]; f != nil {
				if err := s.postTx(ctx, tx, f.doc, f.entry, fmt.Sprintf("dunning run %d: level %d of %s", run.ID, it.Level, it.Number), &changes); err != nil {
					return fmt.Errorf("fee invoice for %s: %w", it.Number, err)
				}
				it.FeeDocument = f.doc.ID
			}
			if err := insertRunItem(ctx, tx, run, *it); err != nil {
				return err
			}
			changes = append(changes, audit.Change{CompanyID: companyID, Entity: entity, EntityID: it.DocumentID.String(), Action: "dun",
				Old: map[string]any{"dunning_level": it.CurrentLevel}, New: map[string]any{"dunning_level": it.Level, "dunning_run_id": run.ID,
					"fee": it.Fee, "interest": it.Interest, "fee_document_id": it.FeeDocument}})
		}
		for _, l := range letters {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dunning_letters (run_id, company_id, party_id, language, pdf) VALUES (?, ?, ?, ?, ?)`,
				int64(run.ID), int64(companyID), int64(l.PartyID), l.Language, l.pdf); err != nil {
				return fmt.Errorf("store dunning letter: %w", err)
			}
			run.Letters = append(run.Letters, l.DunningLetter)
		}
		changes = append(changes, audit.Change{CompanyID: companyID, Entity: "dunning_run", EntityID: run.ID.String(), Action: "post",
			New: map[string]any{"date": run.Date, "invoices": run.InvoiceCount, "letters": run.LetterCount}})
		_, err := s.Audit.Append(ctx, tx, changes...)
		return err
	})
	if err != nil {
		return DunningRun{}, err
	}
	return run, nil
}

// chooseItems keeps the preview's items named by ids, refusing ids the
// preview does not hold; no ids keeps them all. A run with nothing to dun
// is refused.
func chooseItems(p DunningPreview, ids []backoffice.ID) ([]DunningItem, error) {
	if len(ids) == 0 {
		if len(p.Items) == 0 {
			return nil, backoffice.Errorf(backoffice.EConflict, "no invoice is due for dunning on %s", p.Date)
		}
		return p.Items, nil
	}
	byID := map[backoffice.ID]DunningItem{}
	for _, it := range p.Items {
		byID[it.DocumentID] = it
	}
	v := backoffice.Validation{}
	var out []DunningItem
	seen := map[backoffice.ID]bool{}
	for i, id := range ids {
		it, ok := byID[id]
		if !ok {
			v.Add(fmt.Sprintf("document_ids[%d]", i), fmt.Sprintf("invoice %d is not due for dunning on %s: preview the run", id, p.Date))
			continue
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, it)
		}
	}
	if err := v.Err("dunning run"); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueDate.Before(out[j].DueDate) })
	return out, nil
}

type feeInvoice struct {
	doc   *Document
	entry ledger.NewEntry
}

// prepareFees resolves the fee invoice of each item with a fee or interest.
func (s *Service) prepareFees(ctx context.Context, companyID backoffice.ID, date backoffice.Date, items []DunningItem) (map[backoffice.ID]*feeInvoice, error) {
	out := map[backoffice.ID]*feeInvoice{}
	var r *resolver
	var feeAccount, interestAccount backoffice.ID
	for i, it := range items {
		if it.Fee == 0 && it.Interest == 0 {
			continue
		}
		if r == nil {
			var err error
			if r, err = s.newResolver(ctx, companyID); err != nil {
				return nil, err
			}
			if feeAccount, err = r.chartAccount("4100"); err != nil {
				return nil, err
			}
			if interestAccount, err = r.chartAccount("4110"); err != nil {
				return nil, err
			}
		}
		in := Input{Kind: KindInvoice, PartyID: it.PartyID, IssueDate: date, DueDate: date.AddDays(14), Currency: it.Currency,
			Notes: fmt.Sprintf("Dunning level %d for invoice %s", it.Level, it.Number)}
		one := Quantity(pow10(fixedPlaces))
		if it.Fee > 0 {
			in.Lines = append(in.Lines, LineInput{Description: fmt.Sprintf("Dunning fee, level %d, invoice %s", it.Level, it.Number), Quantity: one,
				UnitPrice: &items[i].Fee, TaxCodes: []string{"OUTSIDE"}, AccountID: feeAccount})
		}
		if it.Interest > 0 {
			in.Lines = append(in.Lines, LineInput{Description: fmt.Sprintf("Default interest, %d days, invoice %s", it.DaysOverdue, it.Number), Quantity: one,
				UnitPrice: &items[i].Interest, TaxCodes: []string{"OUTSIDE"}, AccountID: interestAccount})
		}
		d, err := r.resolve(in, 0)
		if err != nil {
			return nil, fmt.Errorf("fee invoice for %s: %w", it.Number, err)
		}
		ne, err := r.entry(d)
		if err != nil {
			return nil, fmt.Errorf("fee invoice for %s: %w", it.Number, err)
		}
		out[it.DocumentID] = &feeInvoice{doc: d, entry: ne}
	}
	return out, nil
}

func insertRunItem(ctx context.Context, tx *sqldb.Tx, run DunningRun, it DunningItem) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO dunning_run_items (run_id, company_id, document_id, party_id, level, run_date, days_overdue,
		currency, open_amount, fee, interest, fee_document_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		int64(run.ID), int64(run.CompanyID), int64(it.DocumentID), int64(it.PartyID), it.Level, run.Date, it.DaysOverdue,
		string(it.Currency), it.OpenAmount, it.Fee, it.Interest, nullID(it.FeeDocument))
	if err != nil {
		if sqldb.IsUniqueViolation(err) {
			return backoffice.Errorf(backoffice.EConflict, "invoice %s was dunned at level %d meanwhile: preview the run again", it.Number, it.Level)
		}
		return fmt.Errorf("record dunned invoice: %w", err)
	}
	return nil
}
