package einvoice

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// item is one XPath value: *node, string (xs:string), untyped (the value of
// a node, xs:untypedAtomic), bool, *big.Rat (xs:decimal and xs:integer,
// exact) or float64 (xs:double). xs:double is kept as float64 only because
// the Schematron's own arithmetic is in doubles wherever XPath says so
// (sum() and arithmetic over element values); matching its rounding needs
// the same representation. Amounts in Document never use it.
type item any

// untyped is the atomised value of a node.
type untyped string

// xdate is an xs:date value, kept as its YYYY-MM-DD lexical form.
type xdate string

// seq is an XPath sequence. Sequences are never changed in place once
// built: the evaluator shares them (a node's one-item sequence, the two
// boolean results) instead of allocating a new one per step.
type seq []item

// seqTrue and seqFalse are the shared results of every boolean expression.
var seqTrue, seqFalse = seq{true}, seq{false}

// boolSeq is the shared one-item sequence for b.
func boolSeq(b bool) seq {
	if b {
		return seqTrue
	}
	return seqFalse
}

// errXPath marks a dynamic error in a rule's test (Saxon would stop).
type errXPath struct{ msg string }

func (e *errXPath) Error() string { return e.msg }

func xerr(format string, args ...any) error { return &errXPath{msg: fmt.Sprintf(format, args...)} }

// atomize turns nodes into their untyped values.
func atomize(s seq) seq {
	if len(s) == 1 {
		if n, ok := s[0].(*node); ok {
			return n.atom()
		}
		return s
	}
	hasNode := false
	for _, it := range s {
		if _, ok := it.(*node); ok {
			hasNode = true
			break
		}
	}
	if !hasNode {
		return s
	}
	out := make(seq, len(s))
	for i, it := range s {
		if n, ok := it.(*node); ok {
			out[i] = untyped(n.stringValue())
		} else {
			out[i] = it
		}
	}
	return out
}

// stringOf is the string value of one item.
func stringOf(it item) string {
	switch v := it.(type) {
	case *node:
		return v.stringValue()
	case string:
		return v
	case untyped:
		return string(v)
	case xdate:
		return string(v)
	case bool:
		if v {
			return "true"
		}
		return "false"
	case *big.Rat:
		return decimalString(v)
	case float64:
		return doubleString(v)
	}
	return ""
}

// stringArg is the string value of an optional single-item argument: "" for
// the empty sequence.
func stringArg(s seq) string {
	if len(s) == 0 {
		return ""
	}
	return stringOf(s[0])
}

// decimalString is the canonical xs:decimal form: no exponent, no trailing zeros.
func decimalString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(20)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// doubleString is the canonical xs:double form of XPath 2.0.
func doubleString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e6 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'E', -1, 64)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// ebv is the effective boolean value of a sequence.
func ebv(s seq) (bool, error) {
	if len(s) == 0 {
		return false, nil
	}
	if _, ok := s[0].(*node); ok {
		return true, nil
	}
	if len(s) > 1 {
		return false, xerr("effective boolean value of a sequence of %d atomic values", len(s))
	}
	switch v := s[0].(type) {
	case bool:
		return v, nil
	case string:
		return v != "", nil
	case untyped:
		return v != "", nil
	case *big.Rat:
		return v.Sign() != 0, nil
	case float64:
		return v != 0 && !math.IsNaN(v), nil
	}
	return false, xerr("no effective boolean value for %T", s[0])
}

var (
	decimalLexical = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	doubleLexical  = regexp.MustCompile(`^[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF)$|^NaN$`)
	integerLexical = regexp.MustCompile(`^[+-]?[0-9]+$`)
	dateLexical    = regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$`)
)

// toDouble casts an atomic value to xs:double; ok is false when the cast fails.
func toDouble(it item) (float64, bool) {
	switch v := it.(type) {
	case float64:
		return v, true
	case *big.Rat:
		f, _ := v.Float64()
		return f, true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case string, untyped:
		s := strings.TrimSpace(stringOf(v))
		if !doubleLexical.MatchString(s) {
			return math.NaN(), false
		}
		switch s {
		case "INF", "+INF":
			return math.Inf(1), true
		case "-INF":
			return math.Inf(-1), true
		case "NaN":
			return math.NaN(), true
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			return math.NaN(), false
		}
		return f, true
	}
	return math.NaN(), false
}

// toDecimal casts an atomic value to xs:decimal.
func toDecimal(it item) (*big.Rat, error) {
	switch v := it.(type) {
	case *big.Rat:
		return v, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, xerr("cannot cast %s to xs:decimal", doubleString(v))
		}
		r, _ := new(big.Rat).SetString(strconv.FormatFloat(v, 'f', -1, 64))
		return r, nil
	case bool:
		if v {
			return big.NewRat(1, 1), nil
		}
		return new(big.Rat), nil
	case string, untyped:
		s := strings.TrimSpace(stringOf(v))
		if !decimalLexical.MatchString(s) {
			return nil, xerr("cannot cast %q to xs:decimal", s)
		}
		r, ok := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
		if !ok {
			return nil, xerr("cannot cast %q to xs:decimal", s)
		}
		return r, nil
	}
	return nil, xerr("cannot cast %T to xs:decimal", it)
}

// toInteger casts an atomic value to xs:integer (truncating numbers).
func toInteger(it item) (*big.Rat, error) {
	switch v := it.(type) {
	case string, untyped:
		s := strings.TrimSpace(stringOf(v))
		if !integerLexical.MatchString(s) {
			return nil, xerr("cannot cast %q to xs:integer", s)
		}
		r, _ := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
		return r, nil
	}
	d, err := toDecimal(it)
	if err != nil {
		return nil, err
	}
	q := new(big.Int).Quo(d.Num(), d.Denom())
	return new(big.Rat).SetInt(q), nil
}

// isNumeric reports whether an item is xs:decimal, xs:integer or xs:double.
func isNumeric(it item) bool {
	switch it.(type) {
	case *big.Rat, float64:
		return true
	}
	return false
}
