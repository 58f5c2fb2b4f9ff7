package reconcile

import (
	"fmt"
)

// identity is how a line names an item, weakest first.
type identity int

const (
	idNone       identity = iota
	idOCR                 // document number found after folding O/0, I/1, S/5 …
	idRepaired            // a structured reference with one typo, corrected
	idFree                // the item's free (unchecked) reference found in the text
	idDigits              // the document number's digits found in the text
	idDoc                 // the document number found in the text
	idStructured          // a structured reference with valid check digits
	idE2E                 // the end-to-end id of our own payment file
)

// addHit records what the line says about item i; items in another
// currency, or of the other sign unless they are credit notes the payer may
// deduct, are no business of the line.
func (f *lineFacts) addHit(ix *index, i int32, id identity, reason string) {
	if it := &ix.items[i]; it.Currency != f.l.Currency || ((it.Amount > 0) != (f.l.Amount > 0) && !ix.isCredit(f.l, i)) {
		return
	}
	h := f.hits[i]
	if h == nil {
		h = &hit{}
		f.hits[i] = h
	}
	if id > h.ident {
		h.ident, h.reason = id, reason
	}
	if id >= idDigits {
		f.named[i] = true
	}
}

// identify finds the items the line names: by structured reference (in its
// own field or in the text), end-to-end id, document number or free
// reference in the text.
func (ix *index) identify(f *lineFacts) {
	l := f.l
	toks := tokens(l.Remittance + " " + l.StructuredRef)
	refs := findReferences(toks)
	if r, ok := ParseReference(l.StructuredRef); ok {
		refs = append([]Reference{r}, refs...)
	}
	matched, strong := false, ""
	for _, r := range refs {
		items := ix.byRef.get(r.key())
		for _, i := range items {
			f.addHit(ix, i, idStructured, fmt.Sprintf("%s %s matches %s", refNames[r.Kind], r, ix.docName(i)))
		}
		matched = matched || len(items) > 0
		// An RF reference or one in the structured field was meant as one; a
		// 12-digit run in free text that happens to pass mod 97 may not be.
		if strong == "" && (r.Kind == RefRF || compact(l.StructuredRef) == r.Value) {
			strong = r.String()
		}
	}
	if !matched && strong != "" {
		f.elsewhere = strong
	}
	if len(refs) == 0 {
		ix.repair(f, toks)
	}
	if e := compact(l.EndToEndID); e != "" && e != "NOTPROVIDED" {
		for _, i := range ix.byE2E.get(e) {
			f.addHit(ix, i, idE2E, fmt.Sprintf("end-to-end id %s is our payment of %s", l.EndToEndID, ix.docName(i)))
		}
	}
	seen := map[string]bool{}
	for _, k := range textKeys(toks) {
		if seen[k] {
			continue
		}
		seen[k] = true
		for _, i := range ix.byDoc.get(k) {
			f.addHit(ix, i, idDoc, fmt.Sprintf("%s found in the remittance text", ix.docName(i)))
		}
		for _, i := range ix.byFree.get(k) {
			f.addHit(ix, i, idFree, fmt.Sprintf("reference %s of %s found in the remittance text", ix.items[i].Reference, ix.docName(i)))
		}
		if len(k) >= minDigitKey && allDigits(k) {
			for _, i := range ix.byDigits.get(k) {
				f.addHit(ix, i, idDigits, fmt.Sprintf("the digits of %s found in the remittance text", ix.docName(i)))
			}
		}
		for _, i := range ix.byFolded.get(ocrFold(k)) {
			f.addHit(ix, i, idOCR, fmt.Sprintf("%s read in the remittance text as %s (letters and digits confused)", ix.docName(i), k))
		}
	}
}

var refNames = map[RefKind]string{RefRF: "RF reference", RefBE: "structured communication", RefQR: "QR reference"}

// docName names an item in reasons: its document number, else its id.
func (ix *index) docName(i int32) string {
	if d := ix.items[i].DocumentNumber; d != "" {
		return d
	}
	return "open item " + ix.items[i].ID.String()
}

// repair looks for a structured reference typed with one error: in the
// structured field, or after "RF" in the text. It counts only when exactly
// one corrected form names open items; two would be a guess.
func (ix *index) repair(f *lineFacts, toks []string) {
	typed := []string{f.l.StructuredRef}
	for i, t := range toks {
		if len(t) >= 4 && t[0] == 'R' && t[1] == 'F' && isDigit(t[2]) && isDigit(t[3]) {
			s := t
			typed = append(typed, s)
			for j := i + 1; j < len(toks) && len(s)+len(toks[j]) <= 25; j++ {
				s += toks[j]
				typed = append(typed, s)
			}
		}
	}
	var found Reference
	var items []int32
	for _, s := range typed {
		for _, r := range RepairReference(s) {
			hits := ix.byRef.get(r.key())
			if len(hits) == 0 || r == found {
				continue
			}
			if len(items) > 0 {
				return // a second corrected form names items too
			}
			found, items = r, hits
		}
	}
	for _, i := range items {
		f.addHit(ix, i, idRepaired, fmt.Sprintf("%s %s (typed with one error) matches %s", refNames[found.Kind], found, ix.docName(i)))
	}
}
