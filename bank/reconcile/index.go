package reconcile

import (
	"cmp"
	"slices"

	"backoffice"
)

// index finds the open items a line may settle without comparing every pair:
// by structured reference, end-to-end id, document number (as written, its
// digits, OCR-folded), free reference, party (IBAN and name trigrams) and
// exact amount. Building it for 50,000 items and probing it for 10,000 lines
// is the whole of the engine's cost (see bench/reconcile.go).
type index struct {
	items    []OpenItem
	days     []int // due date as a day number, per item
	byRef    keyIndex[string]
	byE2E    keyIndex[string]
	byDoc    keyIndex[string] // compact document number: INV202600042
	byDigits keyIndex[string] // its digits when there are at least minDigitKey: 202600042
	byFolded keyIndex[string] // OCR-folded: 1NV202600042
	byFree   keyIndex[string] // compact free reference (a supplier's bill number)
	byAmount keyIndex[amountKey]

	parties   []party
	partyOf   []int32 // per item: index into parties, -1 when none
	byIBAN    keyIndex[string]
	byTrigram map[string][]int32 // trigrams are shared by many names: slices throughout
}

// scratch is one worker's reusable space for partiesFor.
type scratch struct {
	hits    []int32 // trigram hits per party; all zero between calls
	touched []int32 // the parties with hits
}

// party gathers one party's open items.
type party struct {
	id    backoffice.ID
	name  string
	norm  string
	grams int // trigrams in norm
	items []int32
}

type amountKey struct {
	currency backoffice.Currency
	amount   int64
}

// minDigitKey is the fewest digits a document number's digit key may have:
// "2026-00042" is specific, "42" is not.
const minDigitKey = 6

// minFreeRef is the shortest free reference worth indexing.
const minFreeRef = 5

func newIndex(items []OpenItem) *index {
	n := len(items)
	self := make([]int32, n)
	for i := range self {
		self[i] = int32(i)
	}
	ix := &index{
		items: items, days: make([]int, n), partyOf: make([]int32, n),
		byRef: newKeyIndex[string](n, self), byE2E: newKeyIndex[string](0, self), byDoc: newKeyIndex[string](n, self),
		byDigits: newKeyIndex[string](n, self), byFolded: newKeyIndex[string](n, self), byFree: newKeyIndex[string](0, self),
		byAmount: newKeyIndex[amountKey](n, self), byIBAN: newKeyIndex[string](0, self), byTrigram: map[string][]int32{},
	}
	partyIdx := map[backoffice.ID]int32{}
	for i := range items {
		it := &items[i]
		n := int32(i)
		ix.days[i] = dayNumber(it.DueDate)
		if r, ok := ParseReference(it.Reference); ok {
			ix.byRef.add(r.key(), n)
		} else if c := compact(it.Reference); len(c) >= minFreeRef && !containsBang(c) {
			ix.byFree.add(c, n)
		}
		if e := compact(it.EndToEndID); e != "" && !containsBang(e) {
			ix.byE2E.add(e, n)
		}
		if doc := alnum(it.DocumentNumber); len(doc) >= 4 {
			ix.byDoc.add(doc, n)
			ix.byFolded.add(ocrFold(doc), n)
			if d := digitsOf(doc); len(d) >= minDigitKey {
				ix.byDigits.add(d, n)
			}
		}
		ix.byAmount.add(amountKey{it.Currency, it.Amount}, n)
		ix.partyOf[i] = -1
		if it.PartyID == 0 {
			continue
		}
		p, ok := partyIdx[it.PartyID]
		if !ok {
			p = int32(len(ix.parties))
			partyIdx[it.PartyID] = p
			norm := NormalizeName(it.PartyName)
			grams := trigrams(norm)
			ix.parties = append(ix.parties, party{id: it.PartyID, name: it.PartyName, norm: norm, grams: len(grams)})
			for _, t := range grams {
				ix.byTrigram[t] = append(ix.byTrigram[t], p)
			}
		}
		ix.partyOf[i] = p
		ix.parties[p].items = append(ix.parties[p].items, n)
		for _, iban := range it.PartyIBANs {
			if c := compact(iban); c != "" {
				ix.byIBAN.add(c, p)
			}
		}
	}
	return ix
}

func containsBang(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '!' {
			return true
		}
	}
	return false
}

// alnum upper-cases s and keeps its ASCII letters and digits.
func alnum(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		case c >= 'A' && c <= 'Z', isDigit(c):
			b = append(b, c)
		}
	}
	return string(b)
}

// dayNumber counts days since 1970-01-01, so windows compare as integers.
func dayNumber(d backoffice.Date) int {
	if d.IsZero() {
		return 0
	}
	return int(d.Time().Unix() / 86400)
}

// partyMatch is a party the line's counterparty may be.
type partyMatch struct {
	p    int32
	iban bool    // the line's IBAN is known for the party
	sim  float64 // name similarity, 0–1
}

// minNameSimilarity is the least name similarity that makes a party a
// candidate at all.
const minNameSimilarity = 0.80

// partiesFor finds the parties the line's counterparty may be: by IBAN, and
// when the IBAN is unknown, by name through the trigram index, computing the
// similarity only for parties whose trigrams overlap the name's with a Dice
// coefficient of at least minTrigramDice.
func (ix *index) partiesFor(l *StatementLine, sc *scratch) []partyMatch {
	var out []partyMatch
	norm := NormalizeName(l.CounterpartyName)
	if iban := compact(l.CounterpartyIBAN); iban != "" {
		for _, p := range ix.byIBAN.get(iban) {
			out = append(out, partyMatch{p: p, iban: true, sim: NameSimilarity(ix.parties[p].norm, norm)})
		}
	}
	if len(out) > 0 {
		return out
	}
	grams := trigrams(norm)
	if len(grams) == 0 {
		return nil
	}
	if sc.hits == nil {
		sc.hits = make([]int32, len(ix.parties))
	}
	touched := sc.touched[:0]
	defer func() { sc.touched = touched }()
	for _, g := range grams {
		for _, p := range ix.byTrigram[g] {
			if sc.hits[p] == 0 {
				touched = append(touched, p)
			}
			sc.hits[p]++
		}
	}
	for _, p := range touched {
		h := int(sc.hits[p])
		sc.hits[p] = 0
		if float64(2*h) < minTrigramDice*float64(len(grams)+ix.parties[p].grams) {
			continue
		}
		if sim := NameSimilarity(ix.parties[p].norm, norm); sim >= minNameSimilarity {
			out = append(out, partyMatch{p: p, sim: sim})
		}
	}
	slices.SortFunc(out, func(a, b partyMatch) int { return cmp.Compare(a.p, b.p) })
	return out
}

// minTrigramDice is the trigram overlap below which a name is not compared
// at all. A typo changes about three of a name's twenty trigrams, a city
// the bank appends adds six: both stay above 0.75, while the many names
// that share one word ("Müller Bau" and "Müller Optik") fall below 0.6.
const minTrigramDice = 0.6
