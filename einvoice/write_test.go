package einvoice

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// writeAs writes d in format ("ubl" keeps an invoice or credit note as it
// is; "cii" converts it).
func writeAs(t *testing.T, d *Document, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	if format == "cii" {
		err = WriteCII(&b, d)
	} else {
		err = WriteUBL(&b, d)
	}
	if err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	return b.Bytes()
}

// comparable is d without its format and, for CII, with the one payment
// reference CII has (BT-83 is per document there, per payment means in UBL)
// and its one preceding invoice reference.
func comparable(d *Document, format string) Document {
	c := *d
	c.Format = ""
	if format == "cii" && len(c.PrecedingInvoice) > 1 {
		c.PrecedingInvoice = c.PrecedingInvoice[:1]
	}
	if format == "cii" && c.TaxCurrency == c.Currency {
		c.TaxCurrency = ""
	}
	if format == "cii" && len(c.PaymentMeans) > 0 {
		c.PaymentMeans = append([]PaymentMeans(nil), c.PaymentMeans...)
		ref := ""
		for _, pm := range c.PaymentMeans {
			if ref == "" {
				ref = pm.ID
			}
		}
		for i := range c.PaymentMeans {
			c.PaymentMeans[i].ID = ref
		}
	}
	return c
}

func TestWrite_EveryPublishedExampleReadsBackTheSame(t *testing.T) {
	for _, e := range examples(t) {
		data, err := os.ReadFile(e.path)
		if err != nil {
			t.Fatal(err)
		}
		orig, err := Read(data)
		if err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		if len(orig.Lines) == 0 || orig.Currency == "" {
			if err := WriteUBL(new(bytes.Buffer), orig); err == nil {
				t.Errorf("%s has no lines or no currency, yet it was written", e.name)
			}
			continue
		}
		for _, format := range []string{"ubl", "cii"} {
			out := writeAs(t, orig, format)
			back, err := Read(out)
			if err != nil {
				t.Errorf("%s as %s: read back: %v", e.name, format, err)
				continue
			}
			want, got := comparable(orig, format), comparable(back, format)
			if orig.CustomizationID == "" { // the writer names its default specification
				got.CustomizationID, got.ProfileID = "", orig.ProfileID
			}
			if orig.TypeCode == "" { // and its default type code
				got.TypeCode = ""
			}
			if !reflect.DeepEqual(want, got) {
				wj, _ := json.MarshalIndent(want, "", " ")
				gj, _ := json.MarshalIndent(got, "", " ")
				t.Errorf("%s as %s reads back differently:\n%s", e.name, format, firstDiff(string(wj), string(gj)))
			}
		}
	}
}

// firstDiff shows the first differing line of two texts with context.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "want: " + strings.TrimSpace(al[i]) + "\n got: " + strings.TrimSpace(bl[i]) + "\n(line " + strconv.Itoa(i) + ")"
		}
	}
	return "lengths differ"
}

// xmllint validates a written document against its schema.
func xmllint(t *testing.T, data []byte, schema string) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing (apt-get install libxml2-utils)")
		}
		t.Skip("xmllint is not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--nonet", "--schema", schema, f).CombinedOutput()
	if err != nil {
		t.Errorf("schema %s refuses the document: %v\n%s", filepath.Base(schema), err, out)
	}
}

const (
	ublInvoiceXSD    = sharedEinvoice + "/ubl/UBL-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd"
	ublCreditNoteXSD = sharedEinvoice + "/ubl/UBL-2.1/xsd/maindoc/UBL-CreditNote-2.1.xsd"
	ciiXSD           = sharedEinvoice + "/cii/en16931/schema-D16B/CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd"
)

func TestWrite_OutputPassesTheSchemas(t *testing.T) {
	for _, e := range examples(t) {
		data, err := os.ReadFile(e.path)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Read(data)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Lines) == 0 || d.Currency == "" {
			continue
		}
		xsd := ublInvoiceXSD
		if d.Format == FormatUBLCreditNote {
			xsd = ublCreditNoteXSD
		}
		xmllint(t, writeAs(t, d, "ubl"), xsd)
		xmllint(t, writeAs(t, d, "cii"), ciiXSD)
	}
}

// fatalRules lists the rules a document breaks fatally, sorted and unique.
func fatalRules(t *testing.T, data []byte) []string {
	t.Helper()
	rep, err := Validate(data)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range rep.Errors {
		if f.Flag == "fatal" && !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule)
		}
	}
	slices.Sort(out)
	return out
}

func TestWrite_BreaksNoRuleTheOriginalKeeps(t *testing.T) {
	for _, e := range examples(t) {
		data, err := os.ReadFile(e.path)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Read(data)
		// Without a specification identifier the writer names Peppol BIS,
		// whose rules then apply: nothing to compare with.
		if err != nil || len(d.Lines) == 0 || d.Currency == "" || d.CustomizationID == "" {
			continue
		}
		before := fatalRules(t, data)
		for _, format := range []string{"ubl", "cii"} {
			after := fatalRules(t, writeAs(t, d, format))
			var added []string
			for _, r := range after {
				if !slices.Contains(before, r) {
					added = append(added, r)
				}
			}
			if len(added) > 0 {
				t.Errorf("%s as %s breaks %v, which the original keeps", e.name, format, added)
			}
		}
	}
}
