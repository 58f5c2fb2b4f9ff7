package web

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// twoLineInvoice is the form of an invoice to the fixture's customer:
// 2.5 × 120.00 at 19 % and 3 × 19.90 at 7 %, which makes 359.70 + 61.18 VAT
// = 420.88 EUR. A blank row between them is left out.
func twoLineInvoice(f *fixture) url.Values {
	return url.Values{"kind": {"invoice"}, "party_id": {f.party.ID.String()}, "issue_date": {"2026-03-02"}, "currency": {""},
		"line_product": {"", "", ""}, "line_description": {"Consulting", "", "Books"}, "line_quantity": {"2,5", "", "3"},
		"line_unit": {"HUR", "", ""}, "line_price": {"120.00", "", "19.90"}, "line_discount": {"", "", ""},
		"line_tax": {"VAT19", "", "VAT7"}, "line_account": {"", "", ""}, "line_dims": {"", "", ""},
		"allow_type": {"allowance"}, "allow_amount": {""}, "allow_reason": {""}, "allow_tax": {""}, "allow_account": {""}}
}

// idAfter reads the document id from a redirect to /invoices/{id}.
func idAfter(t *testing.T, location string) string {
	t.Helper()
	m := regexp.MustCompile(`^/invoices/(\d+)\?`).FindStringSubmatch(location)
	if m == nil {
		t.Fatalf("redirect to %q, want a document page", location)
	}
	return m[1]
}

func TestInvoiceUI_FormDraftShowsTotalsThenPostsAndCancelsWithACreditNote(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/invoices/new")
		if status != 200 || !strings.Contains(html.UnescapeString(body), "Müller GmbH") || !strings.Contains(body, `hx-post="/invoices/preview"`) {
			t.Fatalf("new invoice form: %d\n%s", status, body)
		}

		form := twoLineInvoice(f)
		status, body, _ = b.post("/invoices/preview", form)
		for _, want := range []string{"Amount due", "420.88 EUR", "359.70 EUR", "61.18 EUR", "VAT19", "300.00 EUR", "57.00 EUR", "VAT7", "4.18 EUR"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("preview: status %d, no %q in\n%s", status, want, body)
			}
		}
		if strings.Contains(body, "<html") {
			t.Error("the preview answers the whole page instead of the totals partial")
		}

		form.Set("action", "save")
		status, body, hdr := b.post("/invoices", form)
		if status != 303 {
			t.Fatalf("save: %d\n%s", status, body)
		}
		id := idAfter(t, hdr.Get("Location"))
		status, body = b.get("/invoices/" + id)
		for _, want := range []string{"Draft invoice " + id, "420.88 EUR", "Consulting", "HUR", "Books", "Edit draft", "Delete draft", "History", "Create"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("draft page: status %d, no %q in\n%s", status, want, body)
			}
		}

		status, body, hdr = b.post("/invoices/"+id+"/post", url.Values{"version": {"1"}})
		if status != 303 || !strings.Contains(hdr.Get("Location"), "Posted+as+INV-2026-00001") {
			t.Fatalf("post: %d %s\n%s", status, hdr.Get("Location"), body)
		}
		d, err := f.inv.Get(context.Background(), f.a.ID, mustID(t, id))
		must(t, err)
		entry, err := f.books.GetEntry(context.Background(), f.a.ID, d.EntryID)
		must(t, err)
		status, body = b.get("/invoices/" + id)
		if status != 200 || !strings.Contains(body, "INV-2026-00001") || !strings.Contains(body, `href="/ledger/entries/`+d.EntryID.String()+`">`+entry.Number+` of 2026-03-02</a>`) ||
			strings.Contains(body, "Edit draft") || !strings.Contains(body, "Cancel with a credit note") ||
			!regexp.MustCompile(`Open amount</dt><dd class="num due">420.88 EUR`).MatchString(body) {
			t.Fatalf("posted page: %d\n%s", status, body)
		}

		status, body, hdr = b.post("/invoices/"+id+"/cancel", url.Values{"date": {"2026-03-10"}, "reason": {"wrong customer"}})
		if status != 303 {
			t.Fatalf("cancel: %d\n%s", status, body)
		}
		creditID := idAfter(t, hdr.Get("Location"))
		status, body = b.get("/invoices/" + creditID)
		if status != 200 || !strings.Contains(body, "CN-2026-00001") || !strings.Contains(body, `credits <a href="/invoices/`+id+`">INV-2026-00001</a>`) {
			t.Fatalf("credit note page: %d\n%s", status, body)
		}
		status, body = b.get("/invoices/" + id)
		if status != 200 || !strings.Contains(body, `Cancelled by <a href="/invoices/`+creditID+`">CN-2026-00001</a>`) || strings.Contains(body, "cancel-reason") {
			t.Fatalf("cancelled invoice page: %d\n%s", status, body)
		}
	})
}

func TestInvoiceUI_FailedSaveMarksEachBadFieldOnItsRowAndKeepsWhatWasTyped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		form := twoLineInvoice(f)
		form.Set("party_id", "")
		form["line_quantity"] = []string{"two", "", "3"}
		form["line_account"] = []string{"", "", "9999"}
		form.Set("action", "save")
		status, body, _ := b.post("/invoices", form)
		if status != 422 || !strings.Contains(body, "Please correct the marked fields: nothing was saved.") {
			t.Fatalf("status %d, want 422 with a summary\n%s", status, body)
		}
		if !strings.Contains(body, `id="party_id-err"`) {
			t.Error("no message beside the customer")
		}
		// Row 1 holds the bad quantity; row 3 (the second line, after a blank row) the bad account.
		row := func(i int) string {
			rows := regexp.MustCompile(`(?s)<tr[^>]*>\s*<td class="muted" data-row-no>`).Split(body, -1)
			if i >= len(rows) {
				t.Fatalf("no row %d", i)
			}
			return rows[i]
		}
		if r := row(1); !strings.Contains(r, `value="two"`) || !strings.Contains(r, "must be a number") {
			t.Errorf("row 1 lost the quantity or its message:\n%s", r)
		}
		if r := row(3); !strings.Contains(r, `value="9999"`) || !strings.Contains(r, "no usable ledger account has the code 9999") {
			t.Errorf("row 3 lost the account or its message:\n%s", r)
		}
		if r := row(2); strings.Contains(r, "field-error") {
			t.Errorf("the blank row got a message:\n%s", r)
		}
		if n := strings.Count(body, `name="line_quantity"`); n != 4 {
			t.Errorf("the form shows %d line rows again, want the 3 sent and one spare", n)
		}
		if n := strings.Count(body, `name="allow_amount"`); n != 1 {
			t.Errorf("the form shows %d allowance rows again, want the one spare", n)
		}

		// The service's own rule lands on its row too: an unknown tax code.
		form = twoLineInvoice(f)
		form["line_tax"] = []string{"VAT19", "", "NOPE"}
		status, body, _ = b.post("/invoices", form)
		if status != 422 || !strings.Contains(row(3), "NOPE is not a tax code of this company") || strings.Contains(row(1), "field-error") {
			t.Fatalf("tax code error not on its row: %d\n%s", status, body)
		}
		list, err := f.inv.List(context.Background(), f.a.ID, invoice.Filter{})
		must(t, err)
		if len(list.Items) != 0 {
			t.Errorf("a refused form stored %d documents", len(list.Items))
		}
	})
}

func TestInvoiceUI_ListFiltersBySideKindStatePartyDatesAndSearch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		other, _, err := f.parties.Create(ctx, f.a.ID, party.Input{Kind: party.KindCustomer, LegalName: "Zeta Trading SA", Currency: "EUR"})
		must(t, err)
		supplier, _, err := f.parties.Create(ctx, f.a.ID, party.Input{Kind: party.KindSupplier, LegalName: "Paper Mill Ltd", Currency: "EUR"})
		must(t, err)
		price := int64(10000)
		doc := func(kind invoice.Kind, p backoffice.ID, day int, ref string) invoice.Document {
			d, err := f.inv.Create(ctx, f.a.ID, invoice.Input{Kind: kind, PartyID: p, IssueDate: backoffice.NewDate(2026, 3, day), SupplierReference: ref,
				Lines: []invoice.LineInput{{Description: "Work", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}})
			must(t, err)
			return d
		}
		posted, err := f.inv.Post(ctx, f.a.ID, doc(invoice.KindInvoice, f.party.ID, 2, "").ID, invoice.PostOptions{})
		must(t, err)
		draft := doc(invoice.KindInvoice, other.ID, 20, "")
		doc(invoice.KindBill, supplier.ID, 5, "PM-7")

		b := f.browser()
		b.signIn("clerk@example.com")
		check := func(path string, want, not []string) {
			t.Helper()
			status, body := b.get(path)
			body = html.UnescapeString(body)
			if status != 200 {
				t.Fatalf("%s: status %d", path, status)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s does not show %q", path, w)
				}
			}
			for _, n := range not {
				if strings.Contains(body, n) {
					t.Errorf("%s shows %q", path, n)
				}
			}
		}
		draftLabel := "Draft " + draft.ID.String() + "<"
		// Unpaid: the open amount is the whole total, and the state says nothing of payment.
		check("/invoices", []string{posted.Number, draftLabel, `<td class="num">119.00 EUR</td><td class="num">119.00 EUR</td>`, "238.00 EUR"},
			[]string{"Paper Mill", "paid"})
		check("/invoices?state=draft", []string{draftLabel}, []string{posted.Number})
		check("/invoices?party="+f.party.ID.String(), []string{posted.Number}, []string{draftLabel})
		check("/invoices?from=2026-03-10&to=2026-03-31", []string{draftLabel}, []string{posted.Number})
		check("/invoices?q=zeta", []string{draftLabel}, []string{posted.Number})
		check("/invoices?kind=credit_note", []string{"No invoices match", `href="/invoices/new"`}, []string{posted.Number})
		check("/invoices?sort=payable", []string{posted.Number, draftLabel}, nil)
		check("/bills", []string{"Paper Mill Ltd", "Bills & refunds"}, []string{posted.Number, "Zeta"})
		check("/bills?q=PM-7", []string{"Paper Mill Ltd"}, nil)

		status, csv := b.get("/invoices?state=posted&format=csv")
		if status != 200 || !strings.HasPrefix(csv, "id,number,kind,state,party") || !strings.Contains(csv, posted.Number) || strings.Contains(csv, "Zeta") {
			t.Errorf("CSV export: %d\n%s", status, csv)
		}
		// A clerk keeps drafts but does not post: no Post button anywhere.
		check("/invoices/"+draft.ID.String(), []string{"Edit draft", "Delete draft"}, []string{`action="/invoices/` + draft.ID.String() + `/post"`})
		check("/invoices/new", []string{`value="save"`}, []string{`value="post"`})
		check("/invoices/"+posted.ID.String(), []string{posted.Number}, []string{"Cancel with a credit note", "Edit draft"})
		status, _ = b.get("/invoices?sort=colour")
		if status != 422 {
			t.Errorf("an unknown sort answered %d, want 422", status)
		}
	})
}

func mustID(t *testing.T, s string) backoffice.ID {
	t.Helper()
	id, err := backoffice.ParseID(s)
	must(t, err)
	return id
}

// TestInvoiceUI_PostingALikelyDuplicateBillShowsTheOtherAndNeedsAReason makes
// a draft bill that turns into a look-alike of a posted one when the tax rate
// it uses changes: same supplier, amount and date. Posting it shows the
// other bill and asks why it is not a duplicate; with a reason it posts.
func TestInvoiceUI_PostingALikelyDuplicateBillShowsTheOtherAndNeedsAReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		supplier, _, err := f.parties.Create(ctx, f.a.ID, party.Input{Kind: party.KindSupplier, LegalName: "Paper Mill Ltd", Currency: "EUR"})
		must(t, err)
		price := int64(10000)
		bill := func(code, ref string) invoice.Document {
			d, err := f.inv.Create(ctx, f.a.ID, invoice.Input{Kind: invoice.KindBill, PartyID: supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 2),
				SupplierReference: ref, Lines: []invoice.LineInput{{Description: "Paper", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{code}}}})
			must(t, err)
			return d
		}
		first, err := f.inv.Post(ctx, f.a.ID, bill("VAT7", "PM-1").ID, invoice.PostOptions{})
		must(t, err)
		second := bill("VAT19", "PM-2")
		vat19, err := f.inv.TaxCodeByCode(ctx, f.a.ID, "VAT19")
		must(t, err)
		in := vat19.TaxCodeInput
		in.Rate = 70000
		_, err = f.inv.UpdateTaxCode(ctx, f.a.ID, vat19.ID, vat19.Version, in)
		must(t, err)

		b := f.browser()
		b.signIn("accountant@example.com")
		id := second.ID.String()
		status, body, _ := b.post("/invoices/"+id+"/post", url.Values{"version": {"1"}})
		if status != 409 || !strings.Contains(body, "This bill may be a duplicate") || !strings.Contains(body, `<a href="/invoices/`+first.ID.String()+`">`+first.Number+`</a>`) ||
			!strings.Contains(body, "same supplier, amount and date") || !strings.Contains(body, `name="duplicate_reason"`) {
			t.Fatalf("refused post: %d\n%s", status, body)
		}
		status, body, hdr := b.post("/invoices/"+id+"/post", url.Values{"version": {"1"}, "duplicate_reason": {"two deliveries on one day"}})
		if status != 303 || !strings.Contains(hdr.Get("Location"), "Posted+as+BILL-2026-00002") {
			t.Fatalf("post with a reason: %d %s\n%s", status, hdr.Get("Location"), body)
		}
		if _, body = b.get("/invoices/" + id); !strings.Contains(body, "two deliveries on one day") {
			t.Error("the record page does not show why the look-alike was recorded")
		}
	})
}

func TestInvoiceUI_PartialCreditNoteFromTheInvoicePageIsLinkedBothWays(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		price := int64(10000)
		d, err := f.inv.Create(ctx, f.a.ID, invoice.Input{Kind: invoice.KindInvoice, PartyID: f.party.ID, IssueDate: backoffice.NewDate(2026, 3, 2),
			Lines: []invoice.LineInput{{Description: "Chairs", Quantity: 100000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}})
		must(t, err)
		orig, err := f.inv.Post(ctx, f.a.ID, d.ID, invoice.PostOptions{})
		must(t, err)
		id := orig.ID.String()

		b := f.browser()
		b.signIn("accountant@example.com")
		if _, body := b.get("/invoices/" + id); !strings.Contains(body, `href="/invoices/new?credits=`+id+`"`) {
			t.Fatal("the posted invoice offers no credit note")
		}
		status, body := b.get("/invoices/new?credits=" + id)
		if status != 200 || !strings.Contains(body, `<input type="hidden" name="credits_id" value="`+id+`">`) ||
			!strings.Contains(body, `<option value="credit_note" selected>`) || !strings.Contains(body, `value="Chairs"`) ||
			!strings.Contains(body, `credits <a href="/invoices/`+id+`">INV-2026-00001</a>`) {
			t.Fatalf("credit note form: %d\n%s", status, body)
		}

		form := url.Values{"kind": {"credit_note"}, "credits_id": {id}, "party_id": {f.party.ID.String()}, "issue_date": {"2026-03-05"},
			"line_description": {"Chairs"}, "line_quantity": {"20"}, "line_price": {"100.00"}, "line_tax": {"VAT19"}, "action": {"post"}}
		if status, body, _ := b.post("/invoices", form); status == 303 || !strings.Contains(body, `id="credits_id-err"`) {
			t.Fatalf("a credit note larger than its invoice: %d, want it refused with the message shown\n%s", status, body)
		}
		form.Set("line_quantity", "2")
		status, body, hdr := b.post("/invoices", form)
		if status != 303 || !strings.Contains(hdr.Get("Location"), "Posted+as+CN-2026-00001") {
			t.Fatalf("post the credit note: %d %s\n%s", status, hdr.Get("Location"), body)
		}
		creditID := idAfter(t, hdr.Get("Location"))
		if _, body = b.get("/invoices/" + creditID); !strings.Contains(body, `credits <a href="/invoices/`+id+`">INV-2026-00001</a>`) {
			t.Error("the credit note does not link its invoice")
		}
		_, body = b.get("/invoices/" + id)
		if !strings.Contains(body, `<a href="/invoices/`+creditID+`">CN-2026-00001</a>`) || !strings.Contains(body, "238.00 EUR") {
			t.Errorf("the invoice does not list its credit note:\n%s", body)
		}
	})
}
