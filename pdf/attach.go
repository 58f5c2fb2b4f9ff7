package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// FacturXInfo describes a Factur-X document for its metadata: the title
// and author go into both the document information and the XMP packet,
// which PDF/A requires to agree.
type FacturXInfo struct {
	Title   string
	Author  string
	Created time.Time
	// Conformance is the Factur-X profile of the embedded XML; "EN 16931"
	// when empty.
	Conformance string
}

// FacturXName is the file name Factur-X 1.0 gives the embedded CII.
const FacturXName = "factur-x.xml"

// AttachFacturX turns a PDF written by this package into a Factur-X (ZUGFeRD
// 2) document: the CII XML is embedded as factur-x.xml (MIME text/xml,
// AFRelationship /Data, listed in the catalog's /AF array and its
// EmbeddedFiles name tree), with an XMP packet declaring PDF/A-3B and the
// Factur-X extension schema, and an sRGB output intent. The original bytes
// are kept as they are: the additions are an incremental update appended
// to them, so the pages are exactly those of the PDF given.
func AttachFacturX(doc, xml []byte, info FacturXInfo) ([]byte, error) {
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		return nil, errors.New("pdf: not a PDF")
	}
	if len(xml) == 0 {
		return nil, errors.New("pdf: the e-invoice to embed is empty")
	}
	tr, err := lastTrailer(doc)
	if err != nil {
		return nil, err
	}
	catalog, err := objectBody(doc, tr.root)
	if err != nil {
		return nil, err
	}
	conformance := info.Conformance
	if conformance == "" {
		conformance = "EN 16931"
	}
	created := info.Created.UTC()
	if created.IsZero() {
		created = time.Now().UTC()
	}
	u := update{base: doc, next: tr.size}

	sum := md5.Sum(xml)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(xml)
	_ = zw.Close()
	pdfDate := created.Format("20060102150405") + "Z"
	fileObj := u.add(fmt.Sprintf("<< /Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode /Length %d /Params << /Size %d /CheckSum <%s> /ModDate (D:%s) >> >>",
		z.Len(), len(xml), hex.EncodeToString(sum[:]), pdfDate), z.Bytes())
	specObj := u.add(fmt.Sprintf("<< /Type /Filespec /F (%[1]s) /UF %[2]s /Desc (Factur-X invoice) /AFRelationship /Data /EF << /F %[3]d 0 R /UF %[3]d 0 R >> >>",
		FacturXName, textString(FacturXName), fileObj), nil)
	xmp := facturXMP(info.Title, info.Author, created, conformance)
	metaObj := u.add(fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>", len(xmp)), xmp)
	icc := sRGBProfile()
	z = bytes.Buffer{} // the embedded file keeps the bytes written so far
	zw = zlib.NewWriter(&z)
	_, _ = zw.Write(icc)
	_ = zw.Close()
	iccObj := u.add(fmt.Sprintf("<< /N 3 /Filter /FlateDecode /Length %d >>", z.Len()), z.Bytes())
	intentObj := u.add(fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>", iccObj), nil)

	body := removeKey(catalog, "/Names")
	for _, k := range []string{"/AF", "/Metadata", "/OutputIntents", "/Version", "/MarkInfo"} {
		body = removeKey(body, k)
	}
	body = strings.TrimSuffix(strings.TrimSpace(body), ">>") +
		fmt.Sprintf("/Version /1.7\n/Names << /EmbeddedFiles << /Names [(%s) %d 0 R] >> >>\n/AF [%d 0 R]\n/Metadata %d 0 R\n/OutputIntents [%d 0 R]\n>>",
			FacturXName, specObj, specObj, metaObj, intentObj)
	u.replace(tr.root, body)
	if tr.info != 0 {
		u.replace(tr.info, fmt.Sprintf("<< /Title %s /Author %s /Creator %s /Producer %s /CreationDate (D:%s) /ModDate (D:%s) >>",
			textString(info.Title), textString(info.Author), textString("Backoffice"), textString("Backoffice"), pdfDate, pdfDate))
	}
	return u.finish(tr)
}

// trailer is what a PDF's last trailer says.
type trailer struct {
	size, root, info int
	startxref        int
}

var (
	reStartXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
	reRoot      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	reInfo      = regexp.MustCompile(`/Info\s+(\d+)\s+0\s+R`)
)

// lastTrailer reads the trailer of a PDF with a classic cross-reference
// table, as fpdf writes.
func lastTrailer(doc []byte) (trailer, error) {
	m := reStartXref.FindSubmatch(doc)
	if m == nil {
		return trailer{}, errors.New("pdf: no startxref at the end of the file")
	}
	var t trailer
	t.startxref, _ = strconv.Atoi(string(m[1]))
	i := bytes.LastIndex(doc, []byte("trailer"))
	if i < 0 {
		return trailer{}, errors.New("pdf: no trailer (cross-reference streams are not supported)")
	}
	tail := doc[i:]
	if s := reSize.FindSubmatch(tail); s != nil {
		t.size, _ = strconv.Atoi(string(s[1]))
	}
	if s := reRoot.FindSubmatch(tail); s != nil {
		t.root, _ = strconv.Atoi(string(s[1]))
	}
	if s := reInfo.FindSubmatch(tail); s != nil {
		t.info, _ = strconv.Atoi(string(s[1]))
	}
	if t.size == 0 || t.root == 0 {
		return trailer{}, errors.New("pdf: the trailer names no /Size or /Root")
	}
	return t, nil
}

// objectBody is the dictionary of object n (its last definition).
func objectBody(doc []byte, n int) (string, error) {
	re := regexp.MustCompile(`(?m)^` + strconv.Itoa(n) + ` 0 obj\s*`)
	locs := re.FindAllIndex(doc, -1)
	if len(locs) == 0 {
		return "", fmt.Errorf("pdf: object %d not found", n)
	}
	start := locs[len(locs)-1][1]
	end := bytes.Index(doc[start:], []byte("endobj"))
	if end < 0 {
		return "", fmt.Errorf("pdf: object %d has no end", n)
	}
	return strings.TrimSpace(string(doc[start : start+end])), nil
}

// removeKey drops key and its value from a dictionary's text; a value that
// is a dictionary or array is skipped as a whole.
func removeKey(dict, key string) string {
	for {
		i := strings.Index(dict, key)
		if i < 0 {
			return dict
		}
		after := i + len(key)
		if after < len(dict) && isNameChar(dict[after]) {
			// a longer name that starts with key: look past it
			j := strings.Index(dict[after:], key)
			if j < 0 {
				return dict
			}
			rest := removeKey(dict[after:], key)
			return dict[:after] + rest
		}
		end := skipValue(dict, after)
		dict = dict[:i] + dict[end:]
	}
}

func isNameChar(c byte) bool {
	return c > ' ' && !strings.ContainsRune("/<>[]()%{}", rune(c))
}

// skipValue returns where the value starting at or after i ends.
func skipValue(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
		i++
	}
	if i >= len(s) {
		return i
	}
	switch {
	case strings.HasPrefix(s[i:], "<<"), s[i] == '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch {
			case strings.HasPrefix(s[j:], "<<"), s[j] == '[':
				depth++
				if s[j] == '<' {
					j++
				}
			case strings.HasPrefix(s[j:], ">>"), s[j] == ']':
				depth--
				if s[j] == '>' {
					j++
				}
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(s)
	case s[i] == '(':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(s)
	}
	// a name, number or reference ("12 0 R")
	j := i + 1
	for j < len(s) && isNameChar(s[j]) {
		j++
	}
	if m := regexp.MustCompile(`^\s+\d+\s+R`).FindStringIndex(s[j:]); m != nil {
		j += m[1]
	}
	return j
}

// update is an incremental update being appended to a PDF.
type update struct {
	base    []byte
	next    int // the next free object number
	objects []updObj
}

type updObj struct {
	n      int
	dict   string
	stream []byte // nil: no stream
}

// add appends a new object and returns its number.
func (u *update) add(dict string, stream []byte) int {
	n := u.next
	u.next++
	u.objects = append(u.objects, updObj{n: n, dict: dict, stream: stream})
	return n
}

// replace gives object n a new body.
func (u *update) replace(n int, dict string) {
	u.objects = append(u.objects, updObj{n: n, dict: dict})
}

// finish writes the base, the objects, their cross-reference section and a
// trailer pointing back to the previous one, with a document ID.
func (u *update) finish(tr trailer) ([]byte, error) {
	var b bytes.Buffer
	b.Write(u.base)
	if !bytes.HasSuffix(u.base, []byte("\n")) {
		b.WriteByte('\n')
	}
	offsets := map[int]int{}
	for _, o := range u.objects {
		offsets[o.n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\n", o.n, o.dict)
		if o.stream != nil {
			b.WriteString("stream\n")
			b.Write(o.stream)
			b.WriteString("\nendstream\n")
		}
		b.WriteString("endobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n")
	nums := make([]int, 0, len(offsets))
	for n := range offsets {
		nums = append(nums, n)
	}
	sortInts(nums)
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		fmt.Fprintf(&b, "%d %d\n", nums[i], j-i+1)
		for k := i; k <= j; k++ {
			fmt.Fprintf(&b, "%010d 00000 n \n", offsets[nums[k]])
		}
		i = j + 1
	}
	id := md5.Sum(u.base)
	hexID := hex.EncodeToString(id[:])
	fmt.Fprintf(&b, "trailer\n<<\n/Size %d\n/Root %d 0 R\n", u.next, tr.root)
	if tr.info != 0 {
		fmt.Fprintf(&b, "/Info %d 0 R\n", tr.info)
	}
	fmt.Fprintf(&b, "/Prev %d\n/ID [<%s> <%s>]\n>>\nstartxref\n%d\n%%%%EOF\n", tr.startxref, hexID, hexID, xref)
	return b.Bytes(), nil
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// textString is a PDF text string: UTF-16BE with a byte order mark, in hex.
func textString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, r := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}

// facturXMP is the XMP packet of a Factur-X document: PDF/A-3B
// identification, Dublin Core title and creator, dates, and the Factur-X
// extension schema with its four properties.
func facturXMP(title, author string, created time.Time, conformance string) []byte {
	esc := html.EscapeString
	date := created.Format("2006-01-02T15:04:05Z")
	prop := func(name, desc string) string {
		return `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>` + name + `</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>` +
			`<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>` + desc + `</pdfaProperty:description></rdf:li>` + "\n"
	}
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf</dc:format>` +
		`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(title) + `</rdf:li></rdf:Alt></dc:title>` +
		`<dc:creator><rdf:Seq><rdf:li>` + esc(author) + `</rdf:li></rdf:Seq></dc:creator></rdf:Description>` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>Backoffice</pdf:Producer></rdf:Description>` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>Backoffice</xmp:CreatorTool>` +
		`<xmp:CreateDate>` + date + `</xmp:CreateDate><xmp:ModifyDate>` + date + `</xmp:ModifyDate><xmp:MetadataDate>` + date + `</xmp:MetadataDate></rdf:Description>` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">` +
		`<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">` +
		`<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>` +
		`<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>` +
		`<pdfaSchema:prefix>fx</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>` + "\n")
	b.WriteString(prop("DocumentFileName", "name of the embedded XML invoice file"))
	b.WriteString(prop("DocumentType", "INVOICE"))
	b.WriteString(prop("Version", "The actual version of the Factur-X XML schema"))
	b.WriteString(prop("ConformanceLevel", "The conformance level of the embedded Factur-X data"))
	b.WriteString(`</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">` +
		`<fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>` + FacturXName + `</fx:DocumentFileName>` +
		`<fx:Version>1.0</fx:Version><fx:ConformanceLevel>` + esc(conformance) + `</fx:ConformanceLevel></rdf:Description>` + "\n")
	b.WriteString("</rdf:RDF></x:xmpmeta>\n")
	b.WriteString(strings.Repeat(strings.Repeat(" ", 99)+"\n", 20))
	b.WriteString(`<?xpacket end="w"?>`)
	return []byte(b.String())
}
