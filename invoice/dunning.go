package invoice

import (
	"context"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// DunningLanguages are the languages dunning letters are written in; a
// party with another language gets the English text.
var dunningLanguages = []string{"en", "de", "fr"}

// DunningLevel is one step of a company's dunning: an invoice reaches it
// DaysOverdue days after its due date, one level per run and never
// skipping one. Fee is in minor units of the company currency; interest is
// a yearly rate charged on the open amount for the days overdue. Texts
// hold the letter paragraph per language (en, de, fr) with the
// placeholders {party}, {number}, {due_date}, {open_amount},
// {days_overdue}, {fee} and {interest}.
type DunningLevel struct {
	Level           int               `json:"level"`
	DaysOverdue     int               `json:"days_overdue"`
	Fee             int64             `json:"fee"`
	InterestPercent Percent           `json:"interest_percent"`
	Texts           map[string]string `json:"texts"`
}

// maxDunningLevels bounds the number of levels a company can have.
const maxDunningLevels = 9

// DefaultDunningLevels are the levels a company gets on first use: a
// friendly reminder at 7 days, a second reminder at 21 days with a fee of
// 5.00 and a final demand at 35 days with a fee of 10.00 and 5 % interest
// a year (fees in minor units of a currency with exponent exp).
func DefaultDunningLevels(exp int) []DunningLevel {
	unit := pow10(exp)
	return []DunningLevel{
		{Level: 1, DaysOverdue: 7, Texts: map[string]string{
			"en": "Dear {party}, our invoice {number}, due on {due_date}, is still open with {open_amount}. Perhaps it escaped your notice: please pay it within the next days.",
			"de": "Sehr geehrte Damen und Herren ({party}), unsere Rechnung {number}, fällig am {due_date}, ist mit {open_amount} noch offen. Vielleicht ist sie Ihnen entgangen: bitte begleichen Sie sie in den nächsten Tagen.",
			"fr": "Madame, Monsieur ({party}), notre facture {number}, échue le {due_date}, reste impayée pour {open_amount}. Elle vous a peut-être échappé : merci de la régler dans les prochains jours."}},
		{Level: 2, DaysOverdue: 21, Fee: 5 * unit, Texts: map[string]string{
			"en": "Dear {party}, despite our reminder invoice {number}, due on {due_date}, is still open with {open_amount}, now {days_overdue} days overdue. We charge a reminder fee of {fee}. Please pay within 7 days.",
			"de": "Sehr geehrte Damen und Herren ({party}), trotz unserer Erinnerung ist die Rechnung {number}, fällig am {due_date}, mit {open_amount} seit {days_overdue} Tagen überfällig. Wir berechnen eine Mahngebühr von {fee}. Bitte zahlen Sie innerhalb von 7 Tagen.",
			"fr": "Madame, Monsieur ({party}), malgré notre rappel, la facture {number}, échue le {due_date}, reste impayée pour {open_amount}, en retard de {days_overdue} jours. Nous facturons des frais de relance de {fee}. Merci de payer sous 7 jours."}},
		{Level: 3, DaysOverdue: 35, Fee: 10 * unit, InterestPercent: 50000, Texts: map[string]string{
			"en": "Dear {party}, invoice {number}, due on {due_date}, is still open with {open_amount} after {days_overdue} days. This is our final demand: we charge a fee of {fee} and interest of {interest}. Unless paid within 7 days we will hand the claim to collection.",
			"de": "Sehr geehrte Damen und Herren ({party}), die Rechnung {number}, fällig am {due_date}, ist nach {days_overdue} Tagen mit {open_amount} noch offen. Dies ist unsere letzte Mahnung: wir berechnen eine Gebühr von {fee} und Verzugszinsen von {interest}. Ohne Zahlung binnen 7 Tagen geben wir die Forderung an ein Inkassobüro ab.",
			"fr": "Madame, Monsieur ({party}), la facture {number}, échue le {due_date}, reste impayée pour {open_amount} après {days_overdue} jours. Ceci est notre dernière mise en demeure : nous facturons des frais de {fee} et des intérêts de {interest}. Sans paiement sous 7 jours, nous confierons la créance au recouvrement."}},
	}
}

// DunningLevels returns the company's dunning levels, lowest first,
// creating the defaults (DefaultDunningLevels) on first use.
func (s *Service) DunningLevels(ctx context.Context, companyID backoffice.ID) ([]DunningLevel, error) {
	levels, err := dunningLevels(ctx, s.DB, companyID)
	if err != nil || len(levels) > 0 {
		return levels, err
	}
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if levels, err = dunningLevels(ctx, tx, companyID); err != nil || len(levels) > 0 {
			return err
		}
		levels = DefaultDunningLevels(base.Exponent())
		return s.replaceLevels(ctx, tx, companyID, nil, levels, "default dunning levels created on first use")
	})
	return levels, err
}

// SetDunningLevels replaces the company's dunning levels: numbered 1..n in
// order, days overdue rising, fees not negative, interest 0 to 100 % a
// year, a text in every language. Runs already posted keep their levels.
func (s *Service) SetDunningLevels(ctx context.Context, companyID backoffice.ID, levels []DunningLevel) ([]DunningLevel, error) {
	if err := validateLevels(levels); err != nil {
		return nil, err
	}
	before, err := s.DunningLevels(ctx, companyID)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		return s.replaceLevels(ctx, tx, companyID, before, levels, "")
	})
	if err != nil {
		return nil, err
	}
	return levels, nil
}

func validateLevels(levels []DunningLevel) error {
	v := backoffice.Validation{}
	if len(levels) == 0 || len(levels) > maxDunningLevels {
		v.Add("levels", fmt.Sprintf("give 1 to %d levels", maxDunningLevels))
	}
	for i := range levels {
		l := &levels[i]
		f := fmt.Sprintf("levels[%d].", i)
		v.Check(l.Level == i+1, f+"level", fmt.Sprintf("must be %d: levels are numbered 1, 2, 3 … in order", i+1))
		v.Check(l.DaysOverdue > 0 && l.DaysOverdue <= 3650, f+"days_overdue", "must be 1 to 3650 days")
		if i > 0 && l.DaysOverdue <= levels[i-1].DaysOverdue {
			v.Add(f+"days_overdue", fmt.Sprintf("must be more than level %d's %d days", i, levels[i-1].DaysOverdue))
		}
		v.Check(l.Fee >= 0, f+"fee", "cannot be negative")
		v.Check(l.InterestPercent >= 0 && l.InterestPercent <= 100*Percent(pow10(fixedPlaces)), f+"interest_percent", "must be 0 to 100 % a year")
		texts := map[string]string{}
		for _, lang := range dunningLanguages {
			t := strings.TrimSpace(l.Texts[lang])
			v.Check(t != "", f+"texts."+lang, "is required: the letter's paragraph in this language")
			v.Check(len(t) <= 4000, f+"texts."+lang, "is too long: at most 4000 characters")
			texts[lang] = t
		}
		l.Texts = texts
	}
	return v.Err("dunning levels")
}

// replaceLevels writes levels in place of the stored ones and records the
// change as one change-log record of the company's dunning settings.
func (s *Service) replaceLevels(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, before, levels []DunningLevel, reason string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM dunning_levels WHERE company_id = ?`, int64(companyID)); err != nil {
		return fmt.Errorf("replace dunning levels: %w", err)
	}
	now := s.now()
	for _, l := range levels {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dunning_levels (company_id, level, days_overdue, fee, interest_percent, text_en, text_de, text_fr, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, int64(companyID), l.Level, l.DaysOverdue, l.Fee, int64(l.InterestPercent),
			l.Texts["en"], l.Texts["de"], l.Texts["fr"], now); err != nil {
			return fmt.Errorf("replace dunning levels: %w", err)
		}
	}
	c := audit.Change{CompanyID: companyID, Entity: "dunning_levels", EntityID: companyID.String(), Action: "update",
		New: map[string]any{"levels": levels}, Reason: reason}
	if before == nil {
		c.Action = "create"
	} else {
		c.Old = map[string]any{"levels": before}
	}
	_, err := s.Audit.Append(ctx, tx, c)
	return err
}

func dunningLevels(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) ([]DunningLevel, error) {
	rows, err := q.QueryContext(ctx, `SELECT level, days_overdue, fee, interest_percent, text_en, text_de, text_fr FROM dunning_levels
		WHERE company_id = ? ORDER BY level`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read dunning levels: %w", err)
	}
	defer rows.Close()
	var out []DunningLevel
	for rows.Next() {
		var l DunningLevel
		var pct int64
		var en, de, fr string
		if err := rows.Scan(&l.Level, &l.DaysOverdue, &l.Fee, &pct, &en, &de, &fr); err != nil {
			return nil, fmt.Errorf("read dunning levels: %w", err)
		}
		l.InterestPercent, l.Texts = Percent(pct), map[string]string{"en": en, "de": de, "fr": fr}
		out = append(out, l)
	}
	return out, rows.Err()
}

// DunningHoldTarget is what a hold flag is set on: a party (all its
// invoices) or one invoice.
type DunningHoldTarget string

// The hold targets.
const (
	HoldParty   DunningHoldTarget = "party"
	HoldInvoice DunningHoldTarget = "invoice"
)

// DunningHold is a hold flag: while it is set, dunning runs skip the party
// or invoice. Reason says why (a dispute, a payment plan).
type DunningHold struct {
	Target   DunningHoldTarget `json:"target"`
	TargetID backoffice.ID     `json:"target_id"`
	Held     bool              `json:"held"`
	Reason   string            `json:"reason,omitempty"`
}

// SetDunningHold sets (held) or clears the hold flag of a party or a
// posted invoice of the company. Setting one needs a reason; both are
// recorded in the change log of the party or invoice.
func (s *Service) SetDunningHold(ctx context.Context, companyID backoffice.ID, h DunningHold) (DunningHold, error) {
	h.Reason = strings.TrimSpace(h.Reason)
	v := backoffice.Validation{}
	v.Check(h.Target == HoldParty || h.Target == HoldInvoice, "target", "must be party or invoice")
	v.Check(!h.Held || h.Reason != "", "reason", "is required: say why this is not to be dunned (a dispute, a payment plan)")
	v.Check(len(h.Reason) <= 500, "reason", "is too long: at most 500 characters")
	if err := v.Err("dunning hold"); err != nil {
		return DunningHold{}, err
	}
	entityName := "party"
	if h.Target == HoldParty {
		if _, err := s.Party.Get(ctx, companyID, h.TargetID); err != nil {
			return DunningHold{}, err
		}
	} else {
		entityName = entity
		d, err := getDocument(ctx, s.DB, companyID, h.TargetID)
		if err != nil {
			return DunningHold{}, err
		}
		if d.Kind != KindInvoice || d.State == StateDraft {
			return DunningHold{}, backoffice.Errorf(backoffice.EConflict, "only posted invoices are dunned: %s %d is a %s %s", d.Kind, d.ID, d.State, d.Kind)
		}
	}
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := dunningHold(ctx, tx, companyID, h.Target, h.TargetID)
		if err != nil {
			return err
		}
		if before.Held == h.Held && before.Reason == h.Reason {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dunning_holds WHERE company_id = ? AND target = ? AND target_id = ?`,
			int64(companyID), string(h.Target), int64(h.TargetID)); err != nil {
			return fmt.Errorf("set dunning hold: %w", err)
		}
		if h.Held {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dunning_holds (company_id, target, target_id, reason, created_at) VALUES (?, ?, ?, ?, ?)`,
				int64(companyID), string(h.Target), int64(h.TargetID), h.Reason, s.now()); err != nil {
				return fmt.Errorf("set dunning hold: %w", err)
			}
		}
		action := "dunning_hold"
		if !h.Held {
			action = "dunning_release"
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: entityName, EntityID: h.TargetID.String(), Action: action,
			Old: map[string]any{"dunning_hold": before.Held, "dunning_hold_reason": before.Reason},
			New: map[string]any{"dunning_hold": h.Held, "dunning_hold_reason": h.Reason}, Reason: h.Reason})
		return err
	})
	if err != nil {
		return DunningHold{}, err
	}
	if !h.Held {
		h.Reason = ""
	}
	return h, nil
}

// DunningHoldOf returns the hold flag of a party or invoice.
func (s *Service) DunningHoldOf(ctx context.Context, companyID backoffice.ID, target DunningHoldTarget, id backoffice.ID) (DunningHold, error) {
	return dunningHold(ctx, s.DB, companyID, target, id)
}

func dunningHold(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, target DunningHoldTarget, id backoffice.ID) (DunningHold, error) {
	h := DunningHold{Target: target, TargetID: id}
	rows, err := q.QueryContext(ctx, `SELECT reason FROM dunning_holds WHERE company_id = ? AND target = ? AND target_id = ?`,
		int64(companyID), string(target), int64(id))
	if err != nil {
		return h, fmt.Errorf("read dunning hold: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		h.Held = true
		if err := rows.Scan(&h.Reason); err != nil {
			return h, fmt.Errorf("read dunning hold: %w", err)
		}
	}
	return h, rows.Err()
}

// dunningHolds returns the reasons of the company's hold flags of a target kind by id.
func dunningHolds(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (map[DunningHoldTarget]map[backoffice.ID]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT target, target_id, reason FROM dunning_holds WHERE company_id = ?`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read dunning holds: %w", err)
	}
	defer rows.Close()
	out := map[DunningHoldTarget]map[backoffice.ID]string{HoldParty: {}, HoldInvoice: {}}
	for rows.Next() {
		var t, reason string
		var id int64
		if err := rows.Scan(&t, &id, &reason); err != nil {
			return nil, fmt.Errorf("read dunning holds: %w", err)
		}
		if out[DunningHoldTarget(t)] != nil {
			out[DunningHoldTarget(t)][backoffice.ID(id)] = reason
		}
	}
	return out, rows.Err()
}
