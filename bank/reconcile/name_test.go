package reconcile

import "testing"

func TestNormalizeName_DropsLegalFormsAccentsCaseAndOrder(t *testing.T) {
	tests := map[string]string{
		"ACME Trading GmbH":       "acme trading",
		"Acme Trading G.m.b.H.":   "acme trading",
		"Müller, Hans":            "hans muller",
		"Hans Müller":             "hans muller",
		"Lefèvre & Fils S.A.R.L.": "fils lefevre",
		"O'Brien Ltd.":            "obrien",
		"  Ørsted   A/S ":         "orsted",
		"Straße 12 Bau KG":        "12 bau strasse",
		"":                        "",
		"GmbH":                    "",
	}
	for in, want := range tests {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameSimilarity_ForgivesTyposAndAdditionsNotOtherCompanies(t *testing.T) {
	tests := []struct {
		party, line string
		atLeast     float64
		below       float64
	}{
		{"ACME Trading GmbH", "ACME TRADING GMBH", 1, 1.01},
		{"ACME Trading GmbH", "Acme Tradnig", 0.92, 1.01},       // swapped letters
		{"ACME Trading GmbH", "ACME TRADNG", 0.9, 1.01},         // a letter dropped
		{"Schäfer Elektro GmbH", "SCHAEFER ELEKTRO", 0.9, 1.01}, // ä written ae
		{"Bergmann Logistics AG", "BERGMANN LOGISTICS AG BERLIN", 0.92, 1.01},
		{"ACME Trading GmbH", "ACME Logistics GmbH", 0, 0.80},
		{"Müller Bau", "Müller Optik", 0, 0.80},
		{"Acme", "Acme Logistics", 0, 0.80}, // a short name inside a longer one is not enough
		{"ACME Trading GmbH", "", 0, 0.01},
	}
	for _, tt := range tests {
		got := NameSimilarity(NormalizeName(tt.party), NormalizeName(tt.line))
		if got < tt.atLeast || got >= tt.below {
			t.Errorf("NameSimilarity(%q, %q) = %.2f, want in [%.2f, %.2f)", tt.party, tt.line, got, tt.atLeast, tt.below)
		}
	}
}

func TestLevenshtein_CountsASwapAsOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"trading", "tradnig", 1}, {"ab", "ba", 1}, {"abc", "abc", 0},
	}
	for _, tt := range tests {
		if got := levenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
