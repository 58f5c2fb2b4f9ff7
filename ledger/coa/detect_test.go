package coa

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect_NamesTheFormatFromTheContent(t *testing.T) {
	cases := map[string]struct{ data, want string }{
		"gnucash template":      {gncTemplate(), FormatGnuCash},
		"gnucash gzip":          {"\x1f\x8b\x08\x00", FormatGnuCash},
		"gnucash book":          {"<?xml version=\"1.0\"?>\n<gnc-v2 xmlns:gnc=\"x\">", FormatGnuCash},
		"other XML":             {"<?xml version=\"1.0\"?><Document/>", ""},
		"frappe":                {"\ufeff  \n{\"tree\": {}}", FormatFrappe},
		"our CSV":               {"code,name,type\n1,Assets,asset\n", FormatCSV},
		"semicolons and case":   {"\"Name\";\"Code\"\n", FormatCSV},
		"CSV of something else": {"date,amount\n2026-01-01,1.00\n", ""},
		"empty":                 {"", ""},
		"white space":           {" \n\t", ""},
	}
	for name, tc := range cases {
		if got := Detect([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: Detect = %q, want %q", name, got, tc.want)
		}
	}
}

func TestDetect_RecognisesEverySample(t *testing.T) {
	for _, rel := range sampleFiles(t) {
		data, err := os.ReadFile(filepath.Join(samples, rel))
		if err != nil {
			t.Fatal(err)
		}
		want := FormatFrappe
		switch {
		case strings.HasPrefix(rel, "gnucash/"):
			want = FormatGnuCash
		case strings.HasPrefix(rel, "odoo/"):
			want = FormatOdoo
		}
		if got := Detect(data); got != want {
			t.Errorf("%s: Detect = %q, want %q", rel, got, want)
		}
	}
}
