package party_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"backoffice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCheckCreditorID_PublishedExamples(t *testing.T) {
	for _, id := range []string{"DE98ZZZ09999999999", "AT61ZZZ01234567890", "IT66ZZZA1B2C3D4E5F6G7H8"} {
		if msg := party.CheckCreditorID(id); msg != "" {
			t.Errorf("%s: %s", id, msg)
		}
	}
	for _, id := range []string{"DE97ZZZ09999999999", "XX98ZZZ09999999999", "DE98", "DE9AZZZ09999999999"} {
		if party.CheckCreditorID(id) == "" {
			t.Errorf("%s accepted", id)
		}
	}
}

func TestProfile_SavedCheckedVersionedAndLogged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		p, err := e.s.Profile(e.ctx, e.company)
		must(t, err)
		if p.Version != 0 || p.LegalName == "" || p.Language != "en" {
			t.Fatalf("default profile = %+v, want version 0 named after the company", p)
		}
		bad := party.ProfileInput{LegalName: "ACME GmbH", VATID: "DE123456789", Address: party.Address{City: "Berlin", Country: "XX"},
			IBAN: "DE89370400440532013001", PeppolScheme: "9999", CreditorID: "DE97ZZZ09999999999", Email: "nope"}
		_, err = e.s.SetProfile(e.ctx, e.company, 0, bad)
		wantError(t, err, backoffice.EInvalid, "vat_id", "address.country", "iban", "peppol_scheme", "creditor_id", "email")
		good := party.ProfileInput{LegalName: "ACME GmbH", VATID: "DE 123 456 788", Address: party.Address{Lines: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", Country: "de"},
			IBAN: "DE89 3704 0044 0532 0130 00", BIC: "COBADEFFXXX", PeppolScheme: "9930", PeppolID: "DE123456788", CreditorID: "DE98ZZZ09999999999", Language: "de"}
		p, err = e.s.SetProfile(e.ctx, e.company, 0, good)
		must(t, err)
		if p.Version != 1 || p.VATID != "DE123456788" || p.IBAN != "DE89370400440532013000" || p.Address.Country != "DE" {
			t.Fatalf("saved %+v, want normalised values at version 1", p)
		}
		_, err = e.s.SetProfile(e.ctx, e.company, 0, good)
		wantError(t, err, backoffice.EPrecondition)
		var img bytes.Buffer
		m := image.NewRGBA(image.Rect(0, 0, 40, 20))
		m.Set(1, 1, color.Black)
		must(t, png.Encode(&img, m))
		_, err = e.s.SetLogo(e.ctx, e.company, []byte("GIF89a not an image"))
		wantError(t, err, backoffice.EInvalid, "logo")
		p, err = e.s.SetLogo(e.ctx, e.company, img.Bytes())
		must(t, err)
		kind, data, err := e.s.Logo(e.ctx, e.company)
		must(t, err)
		if kind != "image/png" || !bytes.Equal(data, img.Bytes()) || p.Version != 2 || p.LogoHash == "" || p.VATID != "DE123456788" {
			t.Fatalf("after logo: %+v %s %d bytes", p, kind, len(data))
		}
		var n int
		must(t, db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'company_profile'`).Scan(&n))
		if n != 2 {
			t.Fatalf("%d change-log records of the profile, want 2", n)
		}
	})
}

// wantError checks an error's code and that it names each field.
func wantError(t *testing.T, err error, code string, fields ...string) {
	t.Helper()
	var be *backoffice.Error
	if !asError(err, &be) || be.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	for _, f := range fields {
		if _, ok := be.Fields[f]; !ok {
			t.Errorf("error %v does not name field %s", err, f)
		}
	}
}
