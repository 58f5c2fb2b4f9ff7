package web

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"backoffice"
	"backoffice/pdf/pdftest"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// pdfText checks that a response is a PDF download named file and
// returns its text.
func pdfText(t *testing.T, what string, code int, header http.Header, body []byte, file string) string {
	t.Helper()
	if code != 200 {
		t.Fatalf("%s: status %d: %s", what, code, body)
	}
	if ct := header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("%s: Content-Type %q, want application/pdf", what, ct)
	}
	if cd := header.Get("Content-Disposition"); cd != `attachment; filename="`+file+`"` {
		t.Errorf("%s: Content-Disposition %q, want the file %s", what, cd, file)
	}
	return pdftest.Read(t, body).Text()
}

func TestLedgerReportsPDF_EveryReportAnswersAPDFWithItsTotals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f) // bank 100.00 − 40.50 = 59.50
		if w := f.request("accountant", "PUT", "/api/v1/budgets", `{"budgets":[{"account":"6100","month":"2026-02","amount":"30.00","action":"warn"}]}`); w.Code != 200 {
			t.Fatalf("budget: %d %s", w.Code, w.Body.String())
		}
		id := f.account.ID.String()
		for _, tc := range []struct {
			path, accept, file string
			want               []string
		}{
			{"/api/v1/reports/trial-balance?date=2026-02-28&format=pdf", "", "trial-balance-2026-02-28.pdf",
				[]string{"Trial balance", "At the end of 2026-02-28", "1110 Main bank account\nEUR\n100.00\n40.50\n59.50", "Total\nEUR\n140.50\n140.50\n0.00"}},
			{"/api/v1/reports/balance-sheet?date=2026-02-28&compare=previous_period", "application/pdf", "balance-sheet-2026-02-28.pdf",
				[]string{"Balance sheet", "Total Assets\n59.50\n100.00", "Liabilities and equity\n59.50\n100.00", "Balanced: assets equal"}},
			{"/api/v1/reports/income-statement?from=2026-01-01&to=2026-02-28&format=pdf", "", "income-statement-2026-01-01-2026-02-28.pdf",
				[]string{"Income statement", "Total Income\n100.00", "6100 Rent\n40.50", "Net profit\n59.50"}},
			{"/api/v1/reports/cash-flow?from=2026-01-01&to=2026-02-28&format=pdf", "", "cash-flow-2026-01-01-2026-02-28.pdf",
				[]string{"Cash-flow statement", "Profit for the period\nprofit\n59.50", "Net change in cash\n59.50", "Cash at the end\n59.50"}},
			{"/api/v1/reports/general-ledger?from=2026-01-01&to=2026-02-28&limit=1&format=pdf", "", "general-ledger-2026-01-01-2026-02-28.pdf",
				[]string{"General ledger", "1110 Main bank account", "Consulting · INV-1\n100.00\n100.00", "RENT\n40.50\n59.50", "Closing balance\n59.50",
					"4020 Sales of services", "6100 Rent", "Closing balance\n40.50"}},
			{"/api/v1/reports/journal?journal=GEN&limit=1&format=pdf", "", "journal-GEN.pdf",
				[]string{"Journal GEN", "All postings", "GEN-2026-000001 · 2026-01-15 · INV-1 · Consulting", "1110 Main bank account\n100.00",
					"4020 Sales of services\n100.00", "2026-02-01 · RENT", "Total\n140.50\n140.50"}},
			{"/api/v1/reports/budget-vs-actual?from=2026-02-01&to=2026-02-28&format=pdf", "", "budget-vs-actual-2026-02-01-2026-02-28.pdf",
				[]string{"Budget against actual", "6100 Rent\n30.00\n40.50\n-10.50\n-35.0", "Total\n30.00\n40.50\n-10.50\n-35.0"}},
			{"/api/v1/reports/consolidated/balance-sheet?companies=A&date=2026-02-28&format=pdf", "", "consolidated-balance-sheet-2026-02-28.pdf",
				[]string{"Consolidated balance sheet", "Total Assets\n59.50", "Liabilities and equity\n59.50"}},
			{"/api/v1/reports/consolidated/income-statement?companies=A&from=2026-01-01&to=2026-02-28&format=pdf", "", "consolidated-income-statement-2026-01-01-2026-02-28.pdf",
				[]string{"Consolidated income statement", "Net profit\n59.50"}},
			{"/api/v1/accounts/" + id + "/statement?from=2026-02-01&to=2026-02-28&format=pdf", "", "statement-1110.pdf",
				[]string{"Account statement 1110 Main bank account", "2026-02-01 – 2026-02-28", "Opening balance\n100.00", "Closing balance\n59.50"}},
		} {
			w := f.request("auditor", "GET", tc.path, "", "Accept", tc.accept)
			text := pdfText(t, tc.path, w.Code, w.Header(), w.Body.Bytes(), tc.file)
			for _, want := range append([]string{"Alpha GmbH"}, tc.want...) {
				if !strings.Contains(text, want) {
					t.Errorf("%s: %q is not in the PDF:\n%s", tc.path, want, text)
				}
			}
		}
		runCases(t, f, []apiCase{
			{name: "a bad date is a problem, not a PDF", role: "auditor", method: "GET", path: "/api/v1/reports/balance-sheet?date=28.02.2026&format=pdf",
				status: 422, want: []string{`"date":"must be a date as YYYY-MM-DD"`}},
			{name: "another company's books print nothing", role: "outsider", method: "GET", path: "/api/v1/reports/trial-balance?format=pdf", status: 404},
			{name: "a browser's Accept gets JSON", role: "auditor", method: "GET", path: "/api/v1/reports/trial-balance?date=2026-02-28", status: 200,
				want: []string{`"date":"2026-02-28"`}},
		})
	})
}

func TestLedgerReportsPDF_EveryReportPageLinksItsPDF(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		b := f.browser()
		b.signIn("auditor@example.com")
		link := regexp.MustCompile(`href="([^"]*format=pdf[^"]*)" download>Download PDF`)
		for _, page := range []string{"/ledger/trial-balance?date=2026-02-28", "/ledger/reports/balance-sheet?date=2026-02-28",
			"/ledger/reports/income-statement?from=2026-01-01&to=2026-02-28", "/ledger/reports/cash-flow?from=2026-01-01&to=2026-02-28",
			"/ledger/reports/general-ledger?from=2026-01-01&to=2026-02-28&limit=1", "/ledger/accounts/" + f.account.ID.String() + "?from=2026-01-01&to=2026-02-28",
			"/ledger/reports/consolidated?report=balance-sheet&companies=A&date=2026-02-28", "/ledger/budgets?from=2026-02-01&to=2026-02-28",
			"/ledger/reports/journal?journal=GEN&limit=1", "/ledger/reports/aging?kind=receivable&as_of=2026-03-31"} {
			status, body := b.get(page)
			m := link.FindStringSubmatch(body)
			if status != 200 || m == nil {
				t.Errorf("%s: status %d, no PDF link", page, status)
				continue
			}
			url := html.UnescapeString(m[1])
			if strings.Contains(url, "limit=") || strings.Contains(url, "after=") {
				t.Errorf("%s: the PDF link %s prints one page, not the report", page, url)
			}
			resp, err := b.client.Get(b.base + url)
			must(t, err)
			pdfBody, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			must(t, err)
			if !strings.HasSuffix(fileOf(resp.Header), ".pdf") {
				t.Errorf("%s: the download is named %q", url, fileOf(resp.Header))
			}
			text := pdfText(t, url, resp.StatusCode, resp.Header, pdfBody, fileOf(resp.Header))
			want := "59.50" // the bank's balance, or the profit
			switch {
			case strings.HasPrefix(page, "/ledger/budgets"):
				want = "No budget covers this period."
			case strings.HasPrefix(page, "/ledger/reports/aging"):
				want = "Nothing is open at this date."
			case strings.HasPrefix(page, "/ledger/reports/journal"):
				want = "Total\n140.50\n140.50" // both entries, though the page showed one
			}
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF lacks %q:\n%s", url, want, text)
			}
		}
	})
}

// fileOf is the file name a download names.
func fileOf(h http.Header) string {
	_, name, _ := strings.Cut(h.Get("Content-Disposition"), `filename="`)
	return strings.TrimSuffix(name, `"`)
}

func TestLedgerReportsPDF_PrintTheCompanyLogo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/reports/trial-balance?date=2026-02-28&format=pdf"
		if w := f.request("auditor", "GET", path, ""); w.Code != 200 || bytes.Contains(w.Body.Bytes(), []byte("/Subtype /Image")) {
			t.Fatalf("without a logo: %d, an image in the PDF: %v", w.Code, bytes.Contains(w.Body.Bytes(), []byte("/Subtype /Image")))
		}
		img := image.NewRGBA(image.Rect(0, 0, 60, 20))
		img.Set(1, 1, color.RGBA{B: 200, A: 255})
		var logo bytes.Buffer
		must(t, png.Encode(&logo, img))
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		_, err := f.parties.SetLogo(ctx, f.a.ID, logo.Bytes())
		must(t, err)
		w := f.request("auditor", "GET", path, "")
		if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte("/Subtype /Image")) {
			t.Fatalf("with a logo: %d, no image in the PDF", w.Code)
		}
		if text := pdftest.Read(t, w.Body.Bytes()).Text(); !strings.Contains(text, "Alpha GmbH\nTrial balance") {
			t.Errorf("the heading lost its text beside the logo:\n%s", text)
		}
	})
}

func TestLedgerReportsPDF_AgingShowsEachPartysBucketsAndTheTotal(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		partyEntry(t, f, "SAL", "2026-01-15", "debit", "500.00") // due 2026-02-28: 31 days overdue at 2026-03-31
		partyEntry(t, f, "BNK", "2026-03-10", "credit", "200.00")
		w := f.request("auditor", "GET", "/api/v1/reports/aging?kind=receivable&as_of=2026-03-31&format=pdf", "")
		text := pdfText(t, "aging", w.Code, w.Header(), w.Body.Bytes(), "aging-receivable-2026-03-31.pdf")
		for _, want := range []string{"Aged receivables", "At 2026-03-31", "Party", "Not due", "1–30 days", "31–60 days", "Over 90 days", "Total (EUR)",
			"#7\nEUR\n0.00\n0.00\n300.00\n0.00\n0.00\n300.00\n300.00", "Total\nEUR\n0.00\n0.00\n300.00\n0.00\n0.00\n300.00"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q is not in the PDF:\n%s", want, text)
			}
		}
	})
}
