package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank"
	"backoffice/bank/reconcile"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// reconcileSetUp posts an invoice of 242.00 (INV-2026-00900) for A's
// customer and imports a statement line paying it by its RF reference, left
// open; it returns the statement id.
func reconcileSetUp(t *testing.T, f *fixture) backoffice.ID {
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	recv, err := f.books.AccountByCode(ctx, f.a.ID, "1200")
	must(t, err)
	sales, err := f.books.AccountByCode(ctx, f.a.ID, "4020")
	must(t, err)
	j, err := f.books.JournalByCode(ctx, f.a.ID, "SAL")
	must(t, err)
	_, err = f.books.Post(ctx, f.a.ID, ledger.NewEntry{JournalID: j.ID, Date: backoffice.NewDate(2026, 2, 2), Reference: "INV-2026-00900",
		Lines: []ledger.NewLine{{AccountID: recv.ID, Amount: 24200, PartyID: int64(f.party.ID), DueDate: backoffice.NewDate(2026, 3, 4)},
			{AccountID: sales.ID, Amount: -24200}}})
	must(t, err)
	rf := strings.ReplaceAll(reconcile.RFReference("INV-2026-00900"), " ", "")
	file := ":20:T\r\n:25:NL26VAYB8060476890\r\n:28C:77\r\n:60F:C260301EUR0,00\r\n:61:2603050305C242,00NTRFNONREF//R1\r\n:86:" + rf +
		"\r\n:62F:C260305EUR242,00\r\n-\r\n"
	rep, err := f.bank.Import(ctx, f.a.ID, "rec.sta", []byte(file), bank.ImportOptions{NoReconcile: true})
	must(t, err)
	return rep.Statements[0].ID
}

func TestBankReconcileAPI_SuggestReconcileUndo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		stmt := reconcileSetUp(t, f)
		path := fmt.Sprintf("/api/v1/bank-statements/%d/suggestions", stmt)
		var sug listOf[bankSuggestionOut]
		w := f.request("auditor", "GET", path, "")
		if w.Code != http.StatusOK {
			t.Fatalf("suggestions: %d %s", w.Code, w.Body)
		}
		decodeInto(t, w.Body.Bytes(), &sug)
		if len(sug.Items) != 1 || len(sug.Items[0].Candidates) == 0 || !sug.Items[0].Candidates[0].Auto ||
			sug.Items[0].Candidates[0].Items[0].DocumentNumber != "INV-2026-00900" {
			t.Fatalf("suggestions %s, want INV-2026-00900 automatic", w.Body)
		}
		line, it := sug.Items[0].Line.ID, sug.Items[0].Candidates[0].Items[0].Item
		body := fmt.Sprintf(`{"items":[{"item":{"entry_id":%d,"line_no":%d},"amount":"242.00"}]}`, it.EntryID, it.LineNo)
		if w := f.request("auditor", "POST", fmt.Sprintf("/api/v1/bank-statement-lines/%d/reconcile", line), body); w.Code != http.StatusForbidden {
			t.Errorf("auditor reconciles: %d, want 403", w.Code)
		}
		w = f.request("accountant", "POST", fmt.Sprintf("/api/v1/bank-statement-lines/%d/reconcile", line), body)
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"kind":"items"`) {
			t.Fatalf("reconcile: %d %s", w.Code, w.Body)
		}
		decodeInto(t, f.request("accountant", "GET", path, "").Body.Bytes(), &sug)
		if len(sug.Items) != 0 {
			t.Errorf("%d lines still open after reconciling, want 0", len(sug.Items))
		}
		w = f.request("accountant", "POST", fmt.Sprintf("/api/v1/bank-statement-lines/%d/unreconcile", line), `{"reason":"paid twice"}`)
		if w.Code != http.StatusNoContent {
			t.Fatalf("unreconcile: %d %s", w.Code, w.Body)
		}
		w = f.request("accountant", "POST", fmt.Sprintf("/api/v1/bank-statements/%d/auto-reconcile", stmt), "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"confirmed":1`) {
			t.Fatalf("auto-reconcile after undo: %d %s", w.Code, w.Body)
		}
	})
}

func TestBankReconcileScreen_ShowsCandidatesAndAcceptsWithoutJavaScript(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		stmt := reconcileSetUp(t, f)
		w := f.request("accountant", "GET", fmt.Sprintf("/bank/statements/%d/reconcile", stmt), "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "INV-2026-00900") || !strings.Contains(w.Body.String(), "Accept all automatic") {
			t.Fatalf("screen: %d, want the candidate and the bulk action", w.Code)
		}
		w = f.request("accountant", "POST", fmt.Sprintf("/bank/statements/%d/auto-reconcile", stmt), "", "Content-Type", "application/x-www-form-urlencoded")
		if w.Code != http.StatusSeeOther {
			t.Fatalf("accept all: %d %s", w.Code, w.Body)
		}
		w = f.request("accountant", "GET", fmt.Sprintf("/bank/statements/%d", stmt), "")
		if !strings.Contains(w.Body.String(), "All lines reconciled") {
			t.Errorf("statement page does not show the line reconciled")
		}
	})
}
