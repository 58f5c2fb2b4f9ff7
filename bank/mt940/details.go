package mt940

import (
	"regexp"
	"strings"

	"backoffice/bank/statement"
)

// details is what :86: tells about an entry.
type details struct {
	gvc        string // German business transaction code (Geschäftsvorfallcode)
	party      statement.Party
	remittance string
	endToEnd   string
	mandate    string
	creditor   string
}

var germanStart = regexp.MustCompile(`^([0-9]{3})([^A-Za-z0-9 ])[0-9]{2}`)

// parseDetails reads :86: in the German structured form, the Dutch
// slash-tagged form, or as free text.
func parseDetails(lines []string) details {
	joined := strings.Join(lines, "")
	t := strings.TrimSpace(joined)
	if m := germanStart.FindStringSubmatch(t); m != nil {
		return parseGerman(m[1], m[2], t[3:])
	}
	if len(t) == 3 && allDigits(t) {
		return details{gvc: t} // empty structured :86: ("091")
	}
	if strings.HasPrefix(t, "/") && dutchKey.MatchString(t) {
		return parseDutch(t)
	}
	return details{remittance: unwrap(lines)}
}

// unwrap joins free-text lines. A line that fills the 65-character width
// was cut by the bank mid-word and joins without a space; others with one.
func unwrap(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && len([]rune(lines[i-1])) < 65 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return collapse(b.String())
}

// parseGerman reads "GVC?00text?10primanota?20…?29 purpose?30 BLZ/BIC?31
// account/IBAN?32?33 name?34 …?60–?63 purpose" where "?" is whatever
// character follows the three-digit code. Lines are joined without a space
// before splitting: banks wrap subfields at a fixed width, mid-word.
func parseGerman(gvc, sep, body string) details {
	d := details{gvc: gvc}
	sub := map[string]string{}
	var purpose strings.Builder
	var order []string
	lastLen := 0
	for _, part := range strings.Split(body, sep)[1:] {
		if len(part) < 2 || !allDigits(part[:2]) {
			// A separator character inside the text: keep it with the previous subfield.
			if len(order) > 0 {
				k := order[len(order)-1]
				sub[k] += sep + part
				if isPurpose(k) {
					purpose.WriteString(sep + part)
				}
			}
			continue
		}
		code, val := part[:2], part[2:]
		order = append(order, code)
		sub[code] += val
		if isPurpose(code) {
			// Subfields are 27 characters wide: a full one was cut
			// mid-word, a shorter one ended where the text did.
			if purpose.Len() > 0 && lastLen < 27 {
				purpose.WriteByte(' ')
			}
			purpose.WriteString(val)
			lastLen = len([]rune(val))
		}
	}
	d.party.Name = collapse(sub["32"] + sub["33"])
	if acct := strings.ReplaceAll(sub["31"], " ", ""); isIBAN(acct) {
		d.party.IBAN = acct
	}
	if bic := strings.TrimSpace(sub["30"]); bicShape.MatchString(bic) {
		d.party.BIC = bic
	}
	d.applySEPA(purpose.String())
	if d.remittance == "" {
		d.remittance = collapse(sub["00"])
	}
	return d
}

func isPurpose(code string) bool {
	return code >= "20" && code <= "29" || code >= "60" && code <= "63"
}

var sepaKey = regexp.MustCompile(`(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|COAM|OAMT)\+`)

// applySEPA splits SEPA keywords out of German purpose text. The
// remittance is SVWZ+ when present, else the whole purpose text.
func (d *details) applySEPA(purpose string) {
	idx := sepaKey.FindAllStringSubmatchIndex(purpose, -1)
	vals := map[string]string{}
	for n, m := range idx {
		end := len(purpose)
		if n+1 < len(idx) {
			end = idx[n+1][0]
		}
		key := purpose[m[2]:m[3]]
		if _, seen := vals[key]; !seen {
			vals[key] = collapse(purpose[m[1]:end])
		}
	}
	d.endToEnd, d.mandate, d.creditor = vals["EREF"], vals["MREF"], vals["CRED"]
	if iban := strings.ReplaceAll(vals["IBAN"], " ", ""); isIBAN(iban) {
		d.party.IBAN = iban
	}
	if bic := vals["BIC"]; bicShape.MatchString(bic) {
		d.party.BIC = bic
	}
	if d.party.Name == "" {
		d.party.Name = firstNonEmpty(vals["ABWA"], vals["ABWE"])
	}
	d.remittance = vals["SVWZ"]
	if _, ok := vals["SVWZ"]; !ok {
		d.remittance = collapse(purpose)
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// dutchKeys are the slash-tagged keys of ABN AMRO, ING and Rabobank :86:.
var (
	dutchKeys = map[string]bool{
		"TRTP": true, "TRCD": true, "IBAN": true, "BIC": true, "NAME": true, "REMI": true,
		"EREF": true, "MARF": true, "CSID": true, "BENM": true, "ORDP": true, "CNTP": true,
		"ISDT": true, "RTRN": true, "USTD": true, "STRD": true, "ULTC": true, "ULTD": true,
		"PURP": true, "SVCL": true, "ADDR": true, "CDTRREF": true, "CDTRREFTP": true,
		"ISSR": true, "PREF": true, "ULTB": true, "ULTCNAME": true, "ULTDNAME": true,
	}
	dutchKey = regexp.MustCompile(`/(TRTP|TRCD|IBAN|BIC|NAME|REMI|EREF|MARF|CSID|BENM|ORDP|CNTP)/`)
)

// parseDutch reads "/TRCD/…/BENM//NAME/…/IBAN/…/REMI/…/EREF/…". Values may
// hold slashes; a segment counts as a key only when it is a known key.
func parseDutch(t string) details {
	vals := map[string][]string{}
	key := ""
	for _, tok := range strings.Split(t, "/")[1:] {
		if dutchKeys[tok] {
			key = tok
			if _, ok := vals[key]; !ok {
				vals[key] = []string{}
			}
			continue
		}
		if key != "" {
			vals[key] = append(vals[key], tok)
		}
	}
	get := func(k string) string { return collapse(strings.Trim(strings.Join(vals[k], "/"), "/ ")) }
	d := details{
		remittance: firstNonEmpty(get("REMI"), get("USTD"), get("STRD")),
		endToEnd:   get("EREF"), mandate: get("MARF"), creditor: get("CSID"),
	}
	d.party = statement.Party{Name: get("NAME"), IBAN: get("IBAN"), BIC: get("BIC")}
	if cntp := vals["CNTP"]; len(cntp) > 0 {
		// ING: /CNTP/account/BIC/name/city/
		at := func(i int) string {
			if i < len(cntp) {
				return collapse(cntp[i])
			}
			return ""
		}
		d.party = statement.Party{IBAN: firstNonEmpty(d.party.IBAN, at(0)), BIC: firstNonEmpty(d.party.BIC, at(1)), Name: firstNonEmpty(d.party.Name, at(2))}
	}
	if d.endToEnd == "NOTPROVIDED" {
		d.endToEnd = ""
	}
	return d
}
