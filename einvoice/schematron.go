package einvoice

// The types below describe a Schematron schema as internal/gen/einvoicerules
// writes it into the rules_*.go tables: every assert with the id, flag, test
// and message of the official file, and the variables and functions the
// tests use.

// schema is one Schematron file: its namespace prefixes, global variables,
// XSLT functions and patterns.
type schema struct {
	name     string
	ns       map[string]string
	lets     []let
	funcs    []funcDef
	patterns []pattern
}

// let is a Schematron variable.
type let struct{ name, value string }

// pattern is a group of rules: a node is checked by the first rule of the
// pattern whose context matches it, as in the Schematron's XSLT.
type pattern struct {
	id    string
	lets  []let
	rules []rule
}

// rule checks its asserts on every node its context selects.
type rule struct {
	context string
	lets    []let
	asserts []assert
}

// assert is one business rule: it fires when test is false.
type assert struct {
	id, flag, test, message string
}

// funcDef is an xsl:function of the Schematron, such as Peppol's u:gln.
type funcDef struct {
	name   string
	as     string
	params []funcParam
	body   []funcStmt
}

// funcParam is a function parameter with its declared type.
type funcParam struct{ name, as string }

// funcStmt is one instruction of a function body: a variable (with select
// or text content), the result (value-of or sequence), or a choose.
type funcStmt struct {
	kind      string // "variable", "value-of", "sequence" or "choose"
	name      string
	as        string
	sel       string
	text      string
	whens     []funcWhen
	otherwise []funcStmt
}

// funcWhen is one branch of xsl:choose.
type funcWhen struct {
	test string
	body []funcStmt
}
