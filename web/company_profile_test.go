package web

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCompanyProfileAPI_SaveWithETagAndLogo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := `{"legal_name":"ACME GmbH","address":{"lines":"Hauptstr. 1","city":"Berlin","postal_code":"10115","country":"DE"},"vat_id":"DE123456788","iban":"DE89370400440532013000"}`
		runCases(t, f, []apiCase{
			{name: "defaults before the first save", role: "auditor", method: "GET", path: "/api/v1/company-profile", status: 200, want: []string{`"version":0`, `"language":"en"`}},
			{name: "clerk may not change it", role: "clerk", method: "PUT", path: "/api/v1/company-profile", body: body, status: 403},
			{name: "bad VAT id and country", role: "admin", method: "PUT", path: "/api/v1/company-profile",
				body: `{"legal_name":"ACME","vat_id":"DE123456789","address":{"city":"Berlin","country":"ZZ"}}`, status: 422,
				want: []string{`"vat_id":`, `"address.country":`}},
			{name: "first save", role: "admin", method: "PUT", path: "/api/v1/company-profile", body: body, status: 200,
				want: []string{`"version":1`, `"vat_id":"DE123456788"`}},
			{name: "with the current ETag", role: "admin", method: "PUT", path: "/api/v1/company-profile", body: body, header: []string{"If-Match", `"v1"`}, status: 200,
				want: []string{`"version":2`}},
			{name: "with a stale ETag", role: "admin", method: "PUT", path: "/api/v1/company-profile", body: body, header: []string{"If-Match", `"v1"`}, status: 412},
			{name: "no logo yet", role: "auditor", method: "GET", path: "/api/v1/company-profile/logo", status: 404},
		})
		var img bytes.Buffer
		must(t, png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8))))
		w := f.request("admin", "PUT", "/api/v1/company-profile/logo", img.String(), "Content-Type", "image/png")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"logo_type":"image/png"`) {
			t.Fatalf("upload logo: %d %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", "/api/v1/company-profile/logo", "")
		if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" || !bytes.Equal(w.Body.Bytes(), img.Bytes()) {
			t.Fatalf("read logo: %d %q", w.Code, w.Header().Get("Content-Type"))
		}
	})
}

func TestCompanyProfilePage_ShowsErrorsNextToFieldsAndSaves(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("admin@example.com")
		status, body := b.get("/company/profile")
		if status != 200 || !strings.Contains(body, "Company details") || !strings.Contains(body, `name="vat_id"`) {
			t.Fatalf("page: %d\n%s", status, body)
		}
		form := url.Values{"version": {"0"}, "legal_name": {"ACME GmbH"}, "address.city": {"Berlin"}, "address.country": {"DE"}, "vat_id": {"DE123456789"}}
		status, body, _ = b.post("/company/profile", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="vat_id-err"`) || !strings.Contains(body, `value="DE123456789"`) {
			t.Fatalf("bad VAT id: %d\n%s", status, body)
		}
		form.Set("vat_id", "DE123456788")
		status, _, hdr := b.post("/company/profile", form)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "flash=") {
			t.Fatalf("save: %d %v", status, hdr)
		}
		_, body = b.get("/company/profile")
		if !strings.Contains(body, `value="DE123456788"`) || !strings.Contains(body, "<strong>Create</strong>") || !strings.Contains(body, "<dt>address.city</dt>") {
			t.Fatalf("saved page:\n%s", body)
		}
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		fw, err := mw.CreateFormFile("logo", "logo.txt")
		must(t, err)
		_, _ = fw.Write([]byte("not an image"))
		must(t, mw.Close())
		status, body = b.postMultipart("/company/logo", mp.String(), mw.FormDataContentType())
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "PNG or JPEG") {
			t.Fatalf("bad logo: %d\n%s", status, body)
		}
	})
}
