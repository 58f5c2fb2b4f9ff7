package reconcile

import (
	"slices"
	"testing"
)

// TestParseReference_PublishedExamples checks the validators against
// examples published with the standards and by the libraries that
// implement them.
func TestParseReference_PublishedExamples(t *testing.T) {
	tests := []struct {
		in    string
		kind  RefKind
		value string // "" when the reference must be refused
	}{
		// ISO 11649: the standard's own example, and python-stdnum's.
		{"RF18 5390 0754 7034", RefRF, "RF18539007547034"},
		{"RF18539007547034", RefRF, "RF18539007547034"},
		{"rf18 5390 0754 7034", RefRF, "RF18539007547034"},
		{"RF18 0000 0000 0539 0075 4703 4", RefRF, "RF18000000000539007547034"},
		{"RF17 5390 0754 7034", "", ""},             // wrong check digits
		{"RF18 5390 0754 7035", "", ""},             // a typo in the body
		{"RF18 5390-0754_7034", "", ""},             // an underscore is no separator
		{"RF1", "", ""},                             // too short
		{"RF18" + "1234567890123456789012", "", ""}, // body over 21 characters
		// Belgian structured communication: Febelfin's format, eConnect's
		// example and the lowest representable one.
		{"+++090/9337/55493+++", RefBE, "090933755493"},
		{"***090/9337/55493***", RefBE, "090933755493"},
		{"090933755493", RefBE, "090933755493"},
		{"+++000/0000/00097+++", RefBE, "000000000097"},
		{"+++090/9337/55494+++", "", ""},
		{"+++000/0000/00000+++", "", ""}, // remainder 0 is written 97
		// Swiss QR reference: SIX's implementation guide example and a
		// FileMaker mod-10 example completed with its check digit 7.
		{"21 00000 00003 13947 14300 09017", RefQR, "210000000003139471430009017"},
		{"92 10070 00000 05690 22063 12007", RefQR, "921007000000056902206312007"},
		{"21 00000 00003 13947 14300 09018", "", ""},
		{"1 00000 00003 13947 14300 09017", "", ""}, // 26 digits
	}
	for _, tt := range tests {
		r, ok := ParseReference(tt.in)
		if ok != (tt.value != "") || r.Kind != tt.kind || r.Value != tt.value {
			t.Errorf("ParseReference(%q) = %+v, %v; want %s %q", tt.in, r, ok, tt.kind, tt.value)
		}
	}
}

func TestRFReference_GeneratesValidPrintableReferences(t *testing.T) {
	tests := map[string]string{
		"539007547034":               "RF18 5390 0754 7034", // the ISO 11649 example, generated back
		"INV-2026-00042":             "RF36 INV2 0260 0042",
		"inv 2026/00042":             "RF36 INV2 0260 0042",
		"A":                          "RF25 A",
		"":                           "",
		"---":                        "",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ": "", // 26 characters do not fit in 21
	}
	for in, want := range tests {
		got := RFReference(in)
		if got != want {
			t.Errorf("RFReference(%q) = %q, want %q", in, got, want)
		}
		if got != "" {
			if r, ok := ParseReference(got); !ok || r.Kind != RefRF {
				t.Errorf("RFReference(%q) = %q does not validate", in, got)
			}
		}
	}
}

func TestBelgianAndQRReference_GenerateWhatTheValidatorsAccept(t *testing.T) {
	if got := BelgianReference(909337554); got != "+++090/9337/55493+++" {
		t.Errorf("BelgianReference(909337554) = %q, want +++090/9337/55493+++", got)
	}
	if got := BelgianReference(0); got != "+++000/0000/00097+++" {
		t.Errorf("BelgianReference(0) = %q, want +++000/0000/00097+++", got)
	}
	if got := BelgianReference(10_000_000_000); got != "" {
		t.Errorf("BelgianReference(11 digits) = %q, want \"\"", got)
	}
	if got := QRReference("21000000000313947143000901"); got != "21 00000 00003 13947 14300 09017" {
		t.Errorf("QRReference = %q, want SIX's example", got)
	}
	for _, bad := range []string{"", "12a", "123456789012345678901234567"} {
		if got := QRReference(bad); got != "" {
			t.Errorf("QRReference(%q) = %q, want \"\"", bad, got)
		}
	}
	for n := uint64(1); n < 5000; n += 37 {
		if _, ok := ParseReference(BelgianReference(n * 1_000_003)); !ok {
			t.Fatalf("BelgianReference(%d) does not validate", n*1_000_003)
		}
	}
}

func TestFindReferences_ReadsReferencesInFreeText(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Payment RF18 5390 0754 7034 thank you", []string{"RF18539007547034"}},
		{"/RFB/rf18539007547034/INV 42", []string{"RF18539007547034"}},
		{"Facture 42 +++090/9337/55493+++ merci", []string{"090933755493"}},
		{"QR 21 00000 00003 13947 14300 09017", []string{"210000000003139471430009017"}},
		{"RF17 5390 0754 7034", nil},
		{"Invoice 2026-00042", nil},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range FindReferences(tt.text) {
			got = append(got, r.Value)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("FindReferences(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// FuzzFindReferences feeds arbitrary remittance text to the reference
// readers and the typo repair: they must not panic, and whatever they return
// must validate and print back to itself.
func FuzzFindReferences(f *testing.F) {
	for _, s := range []string{"RF18 5390 0754 7034", "+++090/9337/55493+++", "21 00000 00003 13947 14300 09017",
		"RF18RF18RF18", "+++///+++", "Invoice INV-2026-00042 1NV2O26", "RF99 " + string(make([]byte, 30)), "ÄÖÜ RF18 5390"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, ok := ParseReference(s); ok {
			if back, ok := ParseReference(r.String()); !ok || back != r {
				t.Fatalf("ParseReference(%q) = %+v, but its print form %q reads as %+v, %v", s, r, r.String(), back, ok)
			}
		}
		for _, r := range FindReferences(s) {
			if back, ok := ParseReference(r.String()); !ok || back != r {
				t.Fatalf("FindReferences(%q) returned %+v, which does not validate", s, r)
			}
		}
		for _, r := range RepairReference(s) {
			if back, ok := ParseReference(r.String()); !ok || back != r || r.Value == compact(s) {
				t.Fatalf("RepairReference(%q) returned %+v, which does not validate or is s itself", s, r)
			}
		}
		_ = NormalizeName(s)
		_ = RFReference(s)
	})
}

func TestRepairReference_FindsTheReferenceOneTypoAway(t *testing.T) {
	tests := []struct {
		typed string
		want  string // must be among the repairs
	}{
		{"RF18 5390 0754 7035", "RF18539007547034"}, // a digit mistyped
		{"RF18 5390 0754 7043", "RF18539007547034"}, // two digits swapped
		{"RF81 5390 0754 7034", "RF18539007547034"}, // the check digits swapped
		{"+++090/9337/55439+++", "090933755493"},    // Belgian, swapped
		{"21 00000 00003 13947 14300 09018", "210000000003139471430009017"},
	}
	for _, tt := range tests {
		repairs := RepairReference(tt.typed)
		var values []string
		for _, r := range repairs {
			values = append(values, r.Value)
			if _, ok := ParseReference(r.Value); !ok {
				t.Errorf("RepairReference(%q) returned %q, which does not validate", tt.typed, r.Value)
			}
		}
		if !slices.Contains(values, tt.want) {
			t.Errorf("RepairReference(%q) = %v, want %s among them", tt.typed, values, tt.want)
		}
		// A mod-97 check lets about 1 in 97 variants through, mod 10 about 1 in 10.
		if len(repairs) > 40 {
			t.Errorf("RepairReference(%q) gave %d variants, want a short list", tt.typed, len(repairs))
		}
	}
	for _, none := range []string{"RF18 5390 0754 7034", "Invoice 42", "", "12345"} {
		if got := RepairReference(none); len(got) != 0 {
			t.Errorf("RepairReference(%q) = %v, want none", none, got)
		}
	}
}
