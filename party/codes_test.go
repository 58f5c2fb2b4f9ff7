package party

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestCountryCodes_MatchISO3166(t *testing.T) {
	raw, err := os.ReadFile("../../shared/testdata/reference/iso-codes/iso_3166-1.json")
	if os.IsNotExist(err) {
		t.Skip("iso-codes reference file not present")
	}
	must(t, err)
	var f struct {
		Countries []struct {
			Alpha2 string `json:"alpha_2"`
		} `json:"3166-1"`
	}
	must(t, json.Unmarshal(raw, &f))
	var codes []string
	for _, c := range f.Countries {
		codes = append(codes, c.Alpha2)
	}
	sort.Strings(codes)
	if got := strings.Join(codes, " "); got != countryCodes {
		t.Errorf("country table differs from ISO 3166-1:\n got %s\nwant %s", countryCodes, got)
	}
	if !ValidCountry("DE") || ValidCountry("XX") || ValidCountry("de") || ValidCountry("D") {
		t.Error("ValidCountry accepts or refuses the wrong codes")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
