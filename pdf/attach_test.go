package pdf

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

func TestSRGBProfile_HeaderAndTagTableAreConsistent(t *testing.T) {
	p := sRGBProfile()
	if int(binary.BigEndian.Uint32(p)) != len(p) || string(p[36:40]) != "acsp" || string(p[12:24]) != "mntrRGB XYZ " {
		t.Fatalf("bad header: size %d of %d, %q", binary.BigEndian.Uint32(p), len(p), p[12:40])
	}
	n := int(binary.BigEndian.Uint32(p[128:]))
	seen := map[string]bool{}
	for i := range n {
		e := p[132+12*i:]
		sig, off, size := string(e[:4]), int(binary.BigEndian.Uint32(e[4:])), int(binary.BigEndian.Uint32(e[8:]))
		if off%4 != 0 || off+size > len(p) || off < 132+12*n {
			t.Errorf("tag %s at %d size %d lies outside the data", sig, off, size)
		}
		seen[sig] = true
	}
	for _, sig := range []string{"desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"} {
		if !seen[sig] {
			t.Errorf("no %s tag", sig)
		}
	}
}

func TestAttachFacturX_AppendsAnUpdateThatKeepsTheOriginal(t *testing.T) {
	d := New(Heading{Company: "ACME", Title: "Invoice", Generated: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	d.Paragraph("Hello")
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	xml := []byte("<rsm:CrossIndustryInvoice/>")
	out, err := AttachFacturX(b.Bytes(), xml, FacturXInfo{Title: "Invoice INV-1", Author: "ACME", Created: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, b.Bytes()) || !bytes.HasSuffix(out, []byte("%%EOF\n")) {
		t.Fatal("the original bytes are not kept, or the update does not end the file")
	}
	update := string(out[b.Len():])
	// The catalog is written again with one /Names (the empty one fpdf
	// wrote is replaced), the attachment, metadata and output intent.
	if strings.Count(update, "/Names") != 2 || !strings.Contains(update, "/AF [") || !strings.Contains(update, "/Metadata") ||
		!strings.Contains(update, "/OutputIntents") || !strings.Contains(update, "/Pages 1 0 R") || !strings.Contains(update, "/Prev ") {
		t.Fatalf("incomplete update:\n%s", update)
	}
	if _, err := AttachFacturX([]byte("not a pdf"), xml, FacturXInfo{}); err == nil {
		t.Fatal("a non-PDF was accepted")
	}
	if _, err := AttachFacturX(b.Bytes(), nil, FacturXInfo{}); err == nil {
		t.Fatal("an empty e-invoice was accepted")
	}
}
