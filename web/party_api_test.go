package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"backoffice/audit"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// setUpParties gives company A one customer, Müller GmbH.
func (f *fixture) setUpParties(ctx context.Context, log *audit.Log) {
	f.parties = &party.Service{DB: f.db, Audit: log, Ledger: f.books}
	var err error
	f.party, _, err = f.parties.Create(ctx, f.a.ID, party.Input{Kind: party.KindCustomer, LegalName: "Müller GmbH", Currency: "EUR"})
	must(f.t, err)
}

func TestPartyAPI_BadVATIsRefusedNamingTheField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/parties", `{"kind":"supplier","legal_name":"Bad VAT SARL","currency":"EUR","vat_id":"DE136695977"}`)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", w.Code, w.Body)
		}
		var p problem
		decodeInto(t, w.Body.Bytes(), &p)
		if p.Errors["vat_id"] == "" {
			t.Errorf("no message for vat_id in %v", p.Errors)
		}
	})
}

func TestPartyAPI_SameVATTwiceIsCreatedWithPossibleDuplicates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := `{"kind":"customer","legal_name":"Schmidt AG","currency":"EUR","vat_id":"DE136695976"}`
		var first, second partyCreatedOut
		w := f.request("accountant", "POST", "/api/v1/parties", body)
		if w.Code != http.StatusCreated {
			t.Fatalf("first create: status %d: %s", w.Code, w.Body)
		}
		decodeInto(t, w.Body.Bytes(), &first)
		if len(first.PossibleDuplicates) != 0 {
			t.Errorf("first party has duplicates %v", first.PossibleDuplicates)
		}
		w = f.request("accountant", "POST", "/api/v1/parties", strings.Replace(body, "Schmidt AG", "Other Name KG", 1))
		if w.Code != http.StatusCreated {
			t.Fatalf("second create: status %d: %s", w.Code, w.Body)
		}
		decodeInto(t, w.Body.Bytes(), &second)
		if len(second.PossibleDuplicates) != 1 || second.PossibleDuplicates[0].PartyID != first.ID {
			t.Errorf("possible duplicates %+v, want party %d", second.PossibleDuplicates, first.ID)
		}
	})
}

func TestPartyAPI_StaleIfMatchIsAPreconditionFailure(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/parties/" + f.party.ID.String()
		w := f.request("accountant", "PATCH", path, `{"trade_name":"Müller"}`, "If-Match", `"v1"`)
		if w.Code != http.StatusOK || w.Header().Get("ETag") != `"v2"` {
			t.Fatalf("first change: status %d ETag %s: %s", w.Code, w.Header().Get("ETag"), w.Body)
		}
		var p party.Party
		decodeInto(t, w.Body.Bytes(), &p)
		if p.TradeName != "Müller" || p.LegalName != "Müller GmbH" {
			t.Errorf("after patch: trade %q legal %q", p.TradeName, p.LegalName)
		}
		w = f.request("accountant", "PATCH", path, `{"trade_name":"Mueller"}`, "If-Match", `"v1"`)
		if w.Code != http.StatusPreconditionFailed {
			t.Fatalf("stale change: status %d, want 412: %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", path+"/history", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"update"`) {
			t.Errorf("history: status %d: %s", w.Code, w.Body)
		}
	})
}

func TestPartyAPI_ImportWithABadRowNamesTheLineAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		file := "kind,legal_name,currency,vat_id\ncustomer,Good One,EUR,DE136695976\nsupplier,Bad VAT,EUR,DE136695977\n"
		w := f.request("accountant", "POST", "/api/v1/parties/import", file, "Content-Type", "text/csv")
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", w.Code, w.Body)
		}
		var rep importOut
		decodeInto(t, w.Body.Bytes(), &rep)
		if len(rep.Errors) != 1 || rep.Errors[0].Line != 3 || rep.Errors[0].Column != "vat_id" {
			t.Errorf("errors %+v, want line 3 vat_id", rep.Errors)
		}
		list, err := f.parties.List(t.Context(), f.a.ID, party.Filter{WithBlocked: true})
		must(t, err)
		if len(list) != 1 {
			t.Errorf("%d parties after a refused import, want the fixture's 1", len(list))
		}
		w = f.request("accountant", "POST", "/api/v1/parties/import?dry_run=true", "kind,legal_name,currency\ncustomer,Good One,EUR\n", "Content-Type", "text/csv")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"imported":0`) {
			t.Errorf("dry run: status %d: %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", "/api/v1/parties/export", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Müller GmbH") {
			t.Errorf("export: status %d: %s", w.Code, w.Body)
		}
	})
}

func TestPartyAPI_MergeMovesThePartyAndTheDuplicatesReportFoundIt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/parties", `{"kind":"customer","legal_name":"Mueller GmbH","currency":"EUR"}`)
		var other partyCreatedOut
		decodeInto(t, w.Body.Bytes(), &other)
		w = f.request("auditor", "GET", "/api/v1/parties/duplicates", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Mueller GmbH") {
			t.Fatalf("duplicates: %d %s", w.Code, w.Body)
		}
		path := "/api/v1/parties/" + f.party.ID.String() + "/merge"
		if w = f.request("accountant", "POST", path, `{"merge_id":`+other.ID.String()+`}`); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("merge without a reason: status %d, want 422", w.Code)
		}
		w = f.request("accountant", "POST", path, `{"merge_id":`+other.ID.String()+`,"reason":"two spellings"}`)
		var res party.MergeResult
		decodeInto(t, w.Body.Bytes(), &res)
		if w.Code != http.StatusOK || res.Merged.MergedIntoID != f.party.ID {
			t.Errorf("merge: status %d %+v", w.Code, res)
		}
		w = f.request("accountant", "GET", "/api/v1/parties?q=mueller", "")
		if !strings.Contains(w.Body.String(), `"items":[]`) {
			t.Errorf("a merged party is still listed: %s", w.Body)
		}
	})
}
