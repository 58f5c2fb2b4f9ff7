package einvoice

import (
	"math"
	"math/big"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// builtinFn is an XPath function: it gets the evaluated arguments.
type builtinFn func(c *evalCtx, args []seq) (seq, error)

// callExpr calls a built-in function.
type callExpr struct {
	name string
	fn   builtinFn
	args []expr
}

// eval collects the arguments on the run's argument stack rather than in a
// new slice per call: calls are the most frequent expressions of the rules.
func (e *callExpr) eval(c *evalCtx) (seq, error) {
	st := c.state
	base := len(st.args)
	defer func() { st.args = st.args[:base] }()
	for _, a := range e.args {
		v, err := a.eval(c)
		if err != nil {
			return nil, err
		}
		st.args = append(st.args, v)
	}
	return e.fn(c, st.args[base:len(st.args):len(st.args)])
}

// contextOrArg is the first argument, or the context item for the
// zero-argument forms such as normalize-space().
func contextOrArg(c *evalCtx, args []seq) seq {
	if len(args) == 0 {
		if c.item == nil {
			return nil
		}
		return itemSeq(c.item)
	}
	return args[0]
}

// builtin looks a function up by name and arity.
func builtin(name string, arity int) (builtinFn, bool) {
	if f, ok := stringFunc(name, arity); ok {
		return f, true
	}
	if f, ok := numberFunc(name, arity); ok {
		return f, true
	}
	return sequenceFunc(name, arity)
}

// normalizeSpace collapses XML whitespace runs to one space and trims the
// ends, returning s itself when it is already normal.
func normalizeSpace(s string) string {
	normal := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			normal = false
			break
		}
	}
	if normal {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }), " ")
}

// fnNormalizeSpace is the most called function of the rules (in about
// 500 tests, mostly on one element): its result on a node is kept on the node.
func fnNormalizeSpace(c *evalCtx, args []seq) (seq, error) {
	arg := contextOrArg(c, args)
	if len(arg) == 1 {
		if n, ok := arg[0].(*node); ok {
			if n.norm == nil {
				n.norm = seq{normalizeSpace(n.stringValue())}
			}
			return n.norm, nil
		}
	}
	return itemSeq(normalizeSpace(stringArg(atomize(arg)))), nil
}

func str1(f func(string) item) builtinFn {
	return func(c *evalCtx, args []seq) (seq, error) {
		return itemSeq(f(stringArg(atomize(contextOrArg(c, args))))), nil
	}
}

func str2(f func(a, b string) item) builtinFn {
	return func(_ *evalCtx, args []seq) (seq, error) {
		return itemSeq(f(stringArg(atomize(args[0])), stringArg(atomize(args[1])))), nil
	}
}

func stringFunc(name string, arity int) (builtinFn, bool) {
	switch name {
	case "normalize-space":
		return fnNormalizeSpace, arity <= 1
	case "string":
		return str1(func(s string) item { return s }), arity <= 1
	case "upper-case":
		return str1(func(s string) item { return strings.ToUpper(s) }), arity == 1
	case "lower-case":
		return str1(func(s string) item { return strings.ToLower(s) }), arity == 1
	case "string-length":
		return str1(func(s string) item { return big.NewRat(int64(utf8.RuneCountInString(s)), 1) }), arity <= 1
	case "contains":
		return str2(func(a, b string) item { return strings.Contains(a, b) }), arity == 2
	case "starts-with":
		return str2(func(a, b string) item { return strings.HasPrefix(a, b) }), arity == 2
	case "ends-with":
		return str2(func(a, b string) item { return strings.HasSuffix(a, b) }), arity == 2
	case "substring-after":
		return str2(func(a, b string) item { _, after, _ := strings.Cut(a, b); return after }), arity == 2
	case "substring-before":
		return str2(func(a, b string) item {
			before, _, ok := strings.Cut(a, b)
			if !ok {
				return ""
			}
			return before
		}), arity == 2
	case "concat":
		return fnConcat, arity >= 2
	case "substring":
		return fnSubstring, arity == 2 || arity == 3
	case "translate":
		return fnTranslate, arity == 3
	case "matches":
		return fnMatches, arity == 2 || arity == 3
	case "replace":
		return fnReplace, arity == 3
	case "tokenize":
		return fnTokenize, arity == 2
	case "string-join":
		return fnStringJoin, arity == 1 || arity == 2
	case "string-to-codepoints":
		return fnCodepoints, arity == 1
	case "codepoints-to-string":
		return fnFromCodepoints, arity == 1
	case "name", "local-name", "namespace-uri":
		return nameFunc(name), arity <= 1
	}
	return nil, false
}

func fnConcat(_ *evalCtx, args []seq) (seq, error) {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(stringArg(atomize(a)))
	}
	return seq{b.String()}, nil
}

// fnSubstring follows XPath's rounding rules for start and length.
func fnSubstring(_ *evalCtx, args []seq) (seq, error) {
	runes := []rune(stringArg(atomize(args[0])))
	start, err := doubleArg(args[1])
	if err != nil {
		return nil, err
	}
	first := roundHalfUp(start)
	last := math.Inf(1)
	if len(args) == 3 {
		l, err := doubleArg(args[2])
		if err != nil {
			return nil, err
		}
		last = first + roundHalfUp(l)
	}
	var b strings.Builder
	for i, r := range runes {
		p := float64(i + 1)
		if p >= first && p < last {
			b.WriteRune(r)
		}
	}
	return seq{b.String()}, nil
}

func doubleArg(s seq) (float64, error) {
	a := atomize(s)
	if len(a) == 0 {
		return math.NaN(), nil
	}
	f, ok := toDouble(a[0])
	if !ok {
		return 0, xerr("%q is not a number", stringOf(a[0]))
	}
	return f, nil
}

func roundHalfUp(f float64) float64 { return math.Floor(f + 0.5) }

func fnTranslate(_ *evalCtx, args []seq) (seq, error) {
	from := []rune(stringArg(atomize(args[1])))
	to := []rune(stringArg(atomize(args[2])))
	var b strings.Builder
	for _, r := range stringArg(atomize(args[0])) {
		idx := -1
		for i, f := range from {
			if f == r {
				idx = i
				break
			}
		}
		switch {
		case idx < 0:
			b.WriteRune(r)
		case idx < len(to):
			b.WriteRune(to[idx])
		}
	}
	return seq{b.String()}, nil
}

// xpathRegexp compiles an XML Schema regular expression. XPath's matches()
// finds the pattern anywhere in the string, like Go's MatchString; the
// character class escapes \i and \c have no Go form and are spelled out.
func xpathRegexp(pat, flags string) (*regexp.Regexp, error) {
	pat = strings.NewReplacer(`\i`, `[_:A-Za-z]`, `\c`, `[-._:A-Za-z0-9]`).Replace(pat)
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "(?i)"
	}
	if strings.Contains(flags, "s") {
		prefix += "(?s)"
	}
	if strings.Contains(flags, "m") {
		prefix += "(?m)"
	}
	re, err := regexp.Compile(prefix + pat)
	if err != nil {
		return nil, xerr("bad regular expression %q: %v", pat, err)
	}
	return re, nil
}

func fnMatches(_ *evalCtx, args []seq) (seq, error) {
	flags := ""
	if len(args) == 3 {
		flags = stringArg(atomize(args[2]))
	}
	re, err := xpathRegexp(stringArg(atomize(args[1])), flags)
	if err != nil {
		return nil, err
	}
	return boolSeq(re.MatchString(stringArg(atomize(args[0])))), nil
}

func fnReplace(_ *evalCtx, args []seq) (seq, error) {
	re, err := xpathRegexp(stringArg(atomize(args[1])), "")
	if err != nil {
		return nil, err
	}
	repl := strings.ReplaceAll(stringArg(atomize(args[2])), "$", "$$")
	return seq{re.ReplaceAllString(stringArg(atomize(args[0])), repl)}, nil
}

func fnTokenize(_ *evalCtx, args []seq) (seq, error) {
	s := stringArg(atomize(args[0]))
	if s == "" {
		return nil, nil
	}
	re, err := xpathRegexp(stringArg(atomize(args[1])), "")
	if err != nil {
		return nil, err
	}
	var out seq
	for _, part := range re.Split(s, -1) {
		out = append(out, part)
	}
	return out, nil
}

func fnStringJoin(_ *evalCtx, args []seq) (seq, error) {
	sep := ""
	if len(args) == 2 {
		sep = stringArg(atomize(args[1]))
	}
	parts := make([]string, 0, len(args[0]))
	for _, it := range atomize(args[0]) {
		parts = append(parts, stringOf(it))
	}
	return seq{strings.Join(parts, sep)}, nil
}

func fnCodepoints(_ *evalCtx, args []seq) (seq, error) {
	var out seq
	for _, r := range stringArg(atomize(args[0])) {
		out = append(out, big.NewRat(int64(r), 1))
	}
	return out, nil
}

func fnFromCodepoints(_ *evalCtx, args []seq) (seq, error) {
	var b strings.Builder
	for _, it := range atomize(args[0]) {
		n, err := toInteger(it)
		if err != nil {
			return nil, err
		}
		b.WriteRune(rune(n.Num().Int64()))
	}
	return seq{b.String()}, nil
}

func nameFunc(which string) builtinFn {
	return func(c *evalCtx, args []seq) (seq, error) {
		s := contextOrArg(c, args)
		if len(s) == 0 {
			return seq{""}, nil
		}
		n, ok := s[0].(*node)
		if !ok {
			return nil, xerr("%s() needs a node", which)
		}
		switch which {
		case "local-name":
			return seq{n.local}, nil
		case "namespace-uri":
			return seq{n.space}, nil
		}
		if n.name == nil {
			if n.prefix != "" {
				n.name = seq{n.prefix + ":" + n.local}
			} else {
				n.name = seq{n.local}
			}
		}
		return n.name, nil
	}
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
