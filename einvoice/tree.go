package einvoice

import (
	"fmt"
	"strings"

	"backoffice"
)

// nodeKind tells the XPath data model's node kinds apart.
type nodeKind uint8

const (
	docNode nodeKind = iota
	elemNode
	attrNode
	textNode
)

// node is one node of the XPath data model: the document, an element, an
// attribute or a text node. The tree keeps everything the Schematron looks
// at: namespace-aware names, attribute and text values as written, and the
// line each element starts on.
type node struct {
	kind     nodeKind
	space    string // namespace URI of an element or attribute
	local    string // local name
	prefix   string // prefix as written, for name()
	text     string // value of an attribute or text node
	parent   *node
	children []*node // elements and text nodes in document order
	attrs    []*node
	line     int
	order    int // position in document order, for sorting node sets
	end      int // largest order in the subtree: descendants have order in (order, end]

	index    map[string]seq // on the document node: elements (and "@"+name attributes) by local name, in document order
	childIdx map[string]seq // child elements by local name, built on first use for nodes with many children
	self     seq            // the one-item sequence of this node, shared by every step selecting it alone
	atoms    seq            // its atomised value, computed on first use
	norm     seq            // normalize-space() of it, computed on first use
	name     seq            // name() of it, computed on first use
	dec      seq            // xs:decimal() of it, computed on first use
	decErr   error
}

// decimal is xs:decimal() of the node's value, kept on the node: amounts
// are cast in many rules.
func (n *node) decimal() (seq, error) {
	if n.dec == nil && n.decErr == nil {
		r, err := toDecimal(untyped(n.stringValue()))
		if err != nil {
			n.decErr = err
		} else {
			n.dec = seq{r}
		}
	}
	return n.dec, n.decErr
}

// atom is the node's atomised value as a shared one-item sequence.
func (n *node) atom() seq {
	if n.atoms == nil {
		n.atoms = seq{untyped(n.stringValue())}
	}
	return n.atoms
}

// indexTree records each node's subtree range and the document's element
// index, which answers //name steps without visiting every node.
func indexTree(doc *node) {
	doc.index = map[string]seq{}
	var walk func(n *node) int
	walk = func(n *node) int {
		n.self = seq{n}
		end := n.order
		for _, a := range n.attrs {
			end = max(end, a.order)
			a.end = a.order
			a.self = seq{a}
			doc.index["@"+a.local] = append(doc.index["@"+a.local], a)
		}
		for _, c := range n.children {
			if c.kind == elemNode {
				doc.index[c.local] = append(doc.index[c.local], c)
			}
			end = max(end, walk(c))
		}
		n.end = end
		return end
	}
	walk(doc)
}

// maxDepth bounds element nesting so a hostile file cannot exhaust the stack
// of the recursive XPath evaluation.
const maxDepth = 200

// parseTree reads an XML document into a node tree and indexes it. It
// accepts UTF-8 and ISO-8859-1 encodings, as e-invoices use.
func parseTree(data []byte) (*node, error) {
	root, err := scanTree(data)
	if err != nil {
		return nil, backoffice.Errorf(backoffice.EInvalid, "the file is not well-formed XML: %v", err)
	}
	indexTree(root)
	return root, nil
}

// rootElement is the document's single top-level element.
func (n *node) rootElement() *node {
	for _, c := range n.children {
		if c.kind == elemNode {
			return c
		}
	}
	return nil
}

// stringValue is the XPath string value: the text of an attribute or text
// node, the concatenated descendant text of an element or document.
func (n *node) stringValue() string {
	switch n.kind {
	case attrNode, textNode:
		return n.text
	}
	if len(n.children) == 1 && n.children[0].kind == textNode {
		return n.children[0].text
	}
	var b strings.Builder
	n.appendText(&b)
	return b.String()
}

func (n *node) appendText(b *strings.Builder) {
	for _, c := range n.children {
		if c.kind == textNode {
			b.WriteString(c.text)
		} else {
			c.appendText(b)
		}
	}
}

// childrenByLocal returns the children with a local name, through an index
// for nodes with many children (the root of an invoice has dozens, and
// hundreds of rules look up one of them).
func (n *node) childrenByLocal(local string) (seq, bool) {
	if len(n.children) <= 8 {
		return nil, false
	}
	if n.childIdx == nil {
		n.childIdx = map[string]seq{}
		for _, c := range n.children {
			if c.kind == elemNode {
				n.childIdx[c.local] = append(n.childIdx[c.local], c)
			}
		}
	}
	return n.childIdx[local], true
}

// child returns the first child element with the namespace and local name.
func (n *node) child(space, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.kind == elemNode && c.local == local && c.space == space {
			return c
		}
	}
	return nil
}

// childrenNamed returns every child element with the namespace and local name.
func (n *node) childrenNamed(space, local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, c := range n.children {
		if c.kind == elemNode && c.local == local && c.space == space {
			out = append(out, c)
		}
	}
	return out
}

// attr returns the value of the attribute with no namespace and the local name.
func (n *node) attr(local string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.space == "" && a.local == local {
			return a.text
		}
	}
	return ""
}

// path returns an XPath to n in the style of the Schematron's SVRL locations:
// each step a prefixed name with its position among same-named siblings.
func (n *node) path() string {
	if n == nil || n.kind == docNode {
		return "/"
	}
	var steps []string
	for cur := n; cur != nil && cur.kind != docNode; cur = cur.parent {
		steps = append(steps, cur.step())
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		b.WriteString("/")
		b.WriteString(steps[i])
	}
	return b.String()
}

func (n *node) step() string {
	name := prefixFor(n.space) + n.local
	switch n.kind {
	case attrNode:
		return "@" + name
	case textNode:
		return "text()"
	}
	pos := 1
	if n.parent != nil {
		for _, s := range n.parent.children {
			if s == n {
				break
			}
			if s.kind == elemNode && s.local == n.local && s.space == n.space {
				pos++
			}
		}
	}
	return fmt.Sprintf("%s[%d]", name, pos)
}

// prefixFor names the usual prefix of a namespace in locations.
func prefixFor(space string) string {
	switch space {
	case "":
		return ""
	case nsCBC:
		return "cbc:"
	case nsCAC:
		return "cac:"
	case nsInvoice:
		return "ubl:"
	case nsCreditNote:
		return "cn:"
	case nsRSM:
		return "rsm:"
	case nsRAM:
		return "ram:"
	case nsUDT:
		return "udt:"
	case nsQDT:
		return "qdt:"
	}
	return "*:"
}
