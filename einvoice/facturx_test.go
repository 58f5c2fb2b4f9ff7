package einvoice

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"strings"
	"testing"

	"backoffice"
)

const facturXSample = sharedEinvoice + "/cii/factur-x/pdf/invoice_EN16931.pdf"

func TestExtractFacturX_PublishedSampleGivesValidCII(t *testing.T) {
	data, err := os.ReadFile(facturXSample)
	if err != nil {
		t.Skipf("sample not available: %v", err)
	}
	xml, err := ExtractFacturX(data)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(xml)
	if err != nil {
		t.Fatalf("the extracted XML does not read: %v", err)
	}
	if doc.Format != FormatCII || doc.Number == "" {
		t.Fatalf("format %q number %q, want a CII invoice with a number", doc.Format, doc.Number)
	}
	rep, err := Validate(xml)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid {
		t.Fatalf("the published sample's CII is not valid: %+v", rep.Errors)
	}
}

// flate compresses b as a FlateDecode stream.
func flate(b []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// tinyPDF writes a PDF of the given object bodies (object i+1 is objs[i]).
func tinyPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	for i, o := range objs {
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	b.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func TestExtractFacturX_FindsFileInObjectStream(t *testing.T) {
	xml := []byte(`<rsm:CrossIndustryInvoice>zugferd</rsm:CrossIndustryInvoice>`)
	// The file specification (object 3) is packed in the object stream 4,
	// its name a UTF-16 hex string; the file itself is a compressed stream.
	spec := `<< /Type /Filespec /UF <FEFF007A0075006700660065007200640020002D0069006E0076006F006900630065002E0078006D006C> /EF << /F 2 0 R >> >>`
	spec = strings.Replace(spec, "0020002D", "002D", 1) // "zugferd-invoice.xml"
	header := "3 0 "
	objstm := header + spec
	pdf := tinyPDF(
		"<< /Type /Catalog >>",
		stream("/Type /EmbeddedFile /Filter /FlateDecode", flate(xml)),
		"null",
		stream(fmt.Sprintf("/Type /ObjStm /N 1 /First %d /Filter [/FlateDecode]", len(header)), flate([]byte(objstm))),
	)
	// object 3 is declared directly as null above, which a packed copy must
	// not override; give it another number so the packed one is found.
	pdf = bytes.Replace(pdf, []byte("3 0 obj\nnull\nendobj\n"), nil, 1)
	got, err := ExtractFacturX(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, xml) {
		t.Fatalf("got %q, want %q", got, xml)
	}
}

func TestExtractFacturX_LiteralNameWithEscapesAndLengthReference(t *testing.T) {
	xml := []byte("<x/>")
	pdf := tinyPDF(
		"<< /Type /Catalog /Names << /EmbeddedFiles << /Names [(factur-x.xml) 3 0 R] >> >> >>",
		fmt.Sprintf("<< /Type /EmbeddedFile /Length 4 0 R >>\nstream\n%s\nendstream", xml),
		`<< /Type /Filespec /F (factur\055x\056xml) /EF << /F 2 0 R >> >>`,
		"4",
	)
	got, err := ExtractFacturX(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "<x/>" {
		t.Fatalf("got %q", got)
	}
}

func TestExtractFacturX_RejectsWhatIsNoFacturX(t *testing.T) {
	for name, data := range map[string][]byte{
		"not a PDF":     []byte("<Invoice/>"),
		"empty":         nil,
		"no objects":    []byte("%PDF-1.4\n%%EOF"),
		"no attachment": tinyPDF("<< /Type /Catalog >>"),
		"another file": tinyPDF("<< /Type /Catalog >>", stream("/Type /EmbeddedFile", []byte("x")),
			"<< /Type /Filespec /F (order.pdf) /EF << /F 2 0 R >> >>"),
		"broken stream": tinyPDF("<< /Type /Catalog >>", stream("/Type /EmbeddedFile /Filter /FlateDecode", []byte("not zlib")),
			"<< /Type /Filespec /F (factur-x.xml) /EF << /F 2 0 R >> >>"),
	} {
		_, err := ExtractFacturX(data)
		if backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("%s: error %v, want an invalid error", name, err)
		}
	}
}

// FuzzExtractFacturX: ExtractFacturX never panics, and whatever it returns
// comes with no error or with an error and no data.
func FuzzExtractFacturX(f *testing.F) {
	f.Add(tinyPDF("<< /Type /Catalog >>", stream("/Type /EmbeddedFile", []byte("<x/>")),
		"<< /Type /Filespec /F (factur-x.xml) /EF << /F 2 0 R >> >>"))
	f.Add(tinyPDF("<< /Type /ObjStm /N 2 /First 8 >>\nstream\n1 0 2 5 << /EF 1 0 R >>\nendstream"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /A [1 2 R (a\\(b) <41> /N#20x] >> endobj"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ExtractFacturX(data)
		if err != nil && out != nil {
			t.Fatalf("data with an error")
		}
	})
}
