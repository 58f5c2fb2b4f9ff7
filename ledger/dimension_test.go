package ledger_test

import (
	"slices"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestDimension_PostingAcceptsOnlyBuiltinOrDefinedActiveDimensions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		region, err := e.s.CreateDimension(e.ctx, e.company, ledger.NewDimension{Code: "region", Name: "Sales region", Values: []string{" north", "south", "north"}, Active: true})
		must(t, err)
		if !slices.Equal(region.Values, []string{"north", "south"}) {
			t.Errorf("values %v, want trimmed and without duplicates: [north south]", region.Values)
		}
		_, err = e.s.CreateDimension(e.ctx, e.company, ledger.NewDimension{Code: "channel", Name: "Channel", Active: true})
		must(t, err)

		e.post(dimEntry(e, "2026-03-05", "6100", "1110", 10_00, map[string]string{"cost_center": "CC1", "region": "north", "channel": "anything"}))
		entries := e.count("ledger_entries")
		_, err = e.s.Post(e.ctx, e.company, dimEntry(e, "2026-03-05", "6100", "1110", 10_00, map[string]string{"colour": "red"}))
		wantError(t, err, backoffice.EInvalid, "lines[0].dimensions.colour")
		_, err = e.s.Post(e.ctx, e.company, dimEntry(e, "2026-03-05", "6100", "1110", 10_00, map[string]string{"region": "west"}))
		wantError(t, err, backoffice.EInvalid, "lines[0].dimensions.region")

		// Deactivated, it takes no new postings; the posted line keeps it and can be reversed.
		region.Active = false
		_, err = e.s.UpdateDimension(e.ctx, e.company, region.ID, region.Version, ledger.NewDimension{Name: region.Name, Values: region.Values, Active: false})
		must(t, err)
		_, err = e.s.Post(e.ctx, e.company, dimEntry(e, "2026-03-06", "6100", "1110", 10_00, map[string]string{"region": "north"}))
		wantError(t, err, backoffice.EInvalid, "lines[0].dimensions.region")
		if n := e.count("ledger_entries"); n != entries {
			t.Errorf("%d entries after refused postings, want %d", n, entries)
		}
		names, err := e.s.DimensionNames(e.ctx, e.company)
		must(t, err)
		if !slices.Equal(names, []string{"cost_center", "project", "department", "channel"}) {
			t.Errorf("dimension names %v, want the built-in ones and the active channel", names)
		}
	})
}

func TestDimension_RulesAndOptimisticLocking(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateDimension(e.ctx, e.company, ledger.NewDimension{Code: "Region X", Name: ""})
		wantError(t, err, backoffice.EInvalid, "code", "name")
		_, err = e.s.CreateDimension(e.ctx, e.company, ledger.NewDimension{Code: "project", Name: "Projects"})
		wantError(t, err, backoffice.EInvalid, "code")
		d, err := e.s.CreateDimension(e.ctx, e.company, ledger.NewDimension{Code: "region", Name: "Region", Active: true})
		must(t, err)
		_, err = e.s.CreateDimension(e.ctx, e.company, ledger.NewDimension{Code: "region", Name: "Again", Active: true})
		wantError(t, err, backoffice.EConflict, "code")
		d2, err := e.s.UpdateDimension(e.ctx, e.company, d.ID, d.Version, ledger.NewDimension{Code: "ignored", Name: "Sales region", Values: []string{"north"}, Active: true})
		must(t, err)
		if d2.Code != "region" || d2.Version != 2 || d2.Name != "Sales region" {
			t.Errorf("after update %+v, want the code kept, version 2 and the new name", d2)
		}
		_, err = e.s.UpdateDimension(e.ctx, e.company, d.ID, d.Version, ledger.NewDimension{Name: "Stale", Active: true})
		wantError(t, err, backoffice.EPrecondition)
		other := e.newCompany("OTHER", "EUR")
		_, err = e.s.GetDimension(e.ctx, other, d.ID)
		wantError(t, err, backoffice.ENotFound)
		var logged int
		must(t, db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'dimension' AND entity_id = ?`, d.ID.String()).Scan(&logged))
		if logged != 2 {
			t.Errorf("%d change log records of the dimension, want 2 (create, update)", logged)
		}
	})
}

func TestDimensionBalances_FilterByValueAndGroupByDimension(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(dimEntry(e, "2026-01-10", "6100", "1110", 100_00, map[string]string{"project": "apollo", "cost_center": "HQ"}))
		e.post(dimEntry(e, "2026-01-12", "6100", "1110", 40_00, map[string]string{"project": "gemini", "cost_center": "HQ"}))
		e.post(dimEntry(e, "2026-02-03", "6110", "1110", 7_00, map[string]string{"project": "apollo"}))
		e.post(e.entry("2026-02-04", "6100", "1110", 1_00))
		type row struct {
			code, value          string
			debit, credit, total int64
		}
		rowsOf := func(r ledger.DimensionReport) []row {
			var out []row
			for _, x := range r.Rows {
				out = append(out, row{x.Code, x.Value, x.Debit, x.Credit, x.Balance})
			}
			return out
		}
		apollo, err := e.s.DimensionBalances(e.ctx, e.company, ledger.DimensionFilter{Dimension: "project", Value: "apollo"})
		must(t, err)
		if got, want := rowsOf(apollo), []row{{"6100", "", 100_00, 0, 100_00}, {"6110", "", 7_00, 0, 7_00}}; !slices.Equal(got, want) {
			t.Errorf("project apollo: %v, want %v (the credit lines carry no project)", got, want)
		}
		grouped, err := e.s.DimensionBalances(e.ctx, e.company, ledger.DimensionFilter{To: day("2026-01-31"), GroupBy: "project"})
		must(t, err)
		want := []row{{"1110", "", 0, 140_00, -140_00}, {"6100", "apollo", 100_00, 0, 100_00}, {"6100", "gemini", 40_00, 0, 40_00}}
		if got := rowsOf(grouped); !slices.Equal(got, want) {
			t.Errorf("grouped by project up to January: %v, want %v", got, want)
		}
		both, err := e.s.DimensionBalances(e.ctx, e.company, ledger.DimensionFilter{From: day("2026-01-01"), To: day("2026-12-31"), Dimension: "cost_center", Value: "HQ", GroupBy: "project"})
		must(t, err)
		if got, want := rowsOf(both), []row{{"6100", "apollo", 100_00, 0, 100_00}, {"6100", "gemini", 40_00, 0, 40_00}}; !slices.Equal(got, want) {
			t.Errorf("HQ grouped by project: %v, want %v", got, want)
		}
		_, err = e.s.DimensionBalances(e.ctx, e.company, ledger.DimensionFilter{Dimension: "project", GroupBy: "Bad Name"})
		wantError(t, err, backoffice.EInvalid, "value", "group")
	})
}
