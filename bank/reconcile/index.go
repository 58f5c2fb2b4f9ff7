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
	byRef    map[string][]int32
	byE2E    map[string][]int32
	byDoc    map[string][]int32 // compact document number: INV202600042
	byDigits map[string][]int32 // its digits when there are at least minDigitKey: 202600042
	byFolded map[string][]int32 // OCR-folded: 1NV202600042
	byFree   map[string][]int32 // compact free reference (a supplier's bill number)
	byAmount map[amountKey][]int32

	parties   []party
	partyOf   []int32 // per item: index into parties, -1 when none
	byIBAN    map[string][]int32
	byTrigram map[string][]int32
	hits      []int32 // per party, scratch space of partiesFor; all zero between calls
	touched   []int32 // scratch space of partiesFor: the parties with hits
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
	ix := &index{
		items: items, days: make([]int, n), partyOf: make([]int32, n),
		byRef: make(map[string][]int32, n), byE2E: map[string][]int32{}, byDoc: make(map[string][]int32, n),
		byDigits: make(map[string][]int32, n), byFolded: make(map[string][]int32, n), byFree: map[string][]int32{},
		byAmount: make(map[amountKey][]int32, n), byIBAN: map[string][]int32{}, byTrigram: map[string][]int32{},
	}
	partyIdx := map[backoffice.ID]int32{}
	for i := range items {
		it := &items[i]
		n := int32(i)
		ix.days[i] = dayNumber(it.DueDate)
		if r, ok := ParseReference(it.Reference); ok {
			add(ix.byRef, r.key(), n)
		} else if c := compact(it.Reference); len(c) >= minFreeRef && !containsBang(c) {
			add(ix.byFree, c, n)
		}
		if e := compact(it.EndToEndID); e != "" && !containsBang(e) {
			add(ix.byE2E, e, n)
		}
		if doc := alnum(it.DocumentNumber); len(doc) >= 4 {
			add(ix.byDoc, doc, n)
			add(ix.byFolded, ocrFold(doc), n)
			if d := digitsOf(doc); len(d) >= minDigitKey {
				add(ix.byDigits, d, n)
			}
		}
		ix.byAmount[amountKey{it.Currency, it.Amount}] = append(ix.byAmount[amountKey{it.Currency, it.Amount}], n)
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
				add(ix.byTrigram, t, p)
			}
		}
		ix.partyOf[i] = p
		ix.parties[p].items = append(ix.parties[p].items, n)
		for _, iban := range it.PartyIBANs {
			if c := compact(iban); c != "" && !hasInt(ix.byIBAN[c], p) {
				add(ix.byIBAN, c, p)
			}
		}
	}
	return ix
}

func add(m map[string][]int32, k string, v int32) { m[k] = append(m[k], v) }

func hasInt(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
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
func (ix *index) partiesFor(l *StatementLine) []partyMatch {
	var out []partyMatch
	norm := NormalizeName(l.CounterpartyName)
	if iban := compact(l.CounterpartyIBAN); iban != "" {
		for _, p := range ix.byIBAN[iban] {
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
	if ix.hits == nil {
		ix.hits = make([]int32, len(ix.parties))
	}
	touched := ix.touched[:0]
	defer func() { ix.touched = touched }()
	for _, g := range grams {
		for _, p := range ix.byTrigram[g] {
			if ix.hits[p] == 0 {
				touched = append(touched, p)
			}
			ix.hits[p]++
		}
	}
	for _, p := range touched {
		h := int(ix.hits[p])
		ix.hits[p] = 0
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
