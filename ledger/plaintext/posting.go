package plaintext

import (
	"strings"

	"backoffice"
)

// postingAmounts reads what follows the account: the amount, its cost and a
// balance assertion, each optional. It reports problems and returns false
// when the posting cannot be used.
func (p *parser) postingAmounts(file string, n int, rest string, post *Posting) bool {
	if rest == "" {
		return true
	}
	amountText, assertion, assertText := rest, "", ""
	if i := strings.IndexByte(rest, '='); i >= 0 {
		amountText, assertText = strings.TrimSpace(rest[:i]), rest[i+1:]
		assertion = "="
		if strings.HasPrefix(assertText, "=") {
			assertion, assertText = "==", assertText[1:]
		}
		if strings.HasPrefix(assertText, "*") {
			assertion, assertText = assertion+"*", assertText[1:]
		}
	}
	if i := strings.IndexAny(amountText, "{}()[]"); i >= 0 {
		p.problem(file, n, "%q: lot prices, lot dates and value expressions are not supported; write a plain amount with @ or @@ for its cost", clip(rest))
		return false
	}
	amountText, costKind, costText := cutCost(amountText)
	ok := true
	if amountText != "" {
		ok = p.postingAmount(file, n, amountText, costKind, costText, post)
	} else if costKind != "" {
		p.problem(file, n, "a cost (%s) needs an amount before it", costKind)
		return false
	}
	if ok && assertion != "" {
		post.Assertion = assertion
		if !p.postingAssertion(file, n, assertText, post) {
			return false
		}
		p.assertions = true
		if amountText == "" && assertion != "=" {
			p.problem(file, n, "a balance assignment (a posting with only \"%s BALANCE\") is supported with \"=\" only", assertion)
			return false
		}
	}
	return ok
}

// cutCost splits "10 EUR @ 1.10 USD" at its "@" or "@@".
func cutCost(s string) (amount, kind, cost string) {
	i := strings.IndexByte(s, '@')
	if i < 0 {
		return s, "", ""
	}
	amount, kind, cost = strings.TrimSpace(s[:i]), "@", s[i+1:]
	if strings.HasPrefix(cost, "@") {
		kind, cost = "@@", cost[1:]
	}
	return amount, kind, strings.TrimSpace(cost)
}

func (p *parser) postingAmount(file string, n int, text, costKind, costText string, post *Posting) bool {
	a, msg := splitAmount(text)
	if msg == "" {
		post.Amount, msg = p.money(a)
	}
	if msg != "" {
		p.problem(file, n, "%s", msg)
		return false
	}
	if costKind == "" {
		return true
	}
	c, msg := splitAmount(costText)
	if msg == "" && c.neg {
		msg = "a cost must not be negative: the amount's sign says which way it goes"
	}
	var cost backoffice.Money
	if msg == "" && costKind == "@" {
		cost, msg = p.unitCost(post.Amount, c)
	} else if msg == "" {
		if cost, msg = p.money(c); cost.Amount != 0 && post.Amount.Amount < 0 {
			cost.Amount = -cost.Amount
		}
	}
	if msg != "" {
		p.problem(file, n, "cost: %s", msg)
		return false
	}
	post.Cost = &cost
	return true
}

func (p *parser) postingAssertion(file string, n int, text string, post *Posting) bool {
	if strings.IndexByte(text, '@') >= 0 {
		p.problem(file, n, "balance assertions with a cost are not supported")
		return false
	}
	a, msg := splitAmount(text)
	var m backoffice.Money
	if msg == "" {
		m, msg = p.money(a)
	}
	if msg != "" {
		p.problem(file, n, "balance assertion: %s", msg)
		return false
	}
	post.BalanceAssertion = &m
	return true
}

// tags adds the tags of one comment to m, allocating it only when there is
// a tag. hledger writes "name:value" (value up to a comma); ledger-cli
// writes ":flag1:flag2:" and "Key: value" (value to the end of the line).
func (p *parser) tags(comment string, m map[string]string) map[string]string {
	if strings.IndexByte(comment, ':') < 0 {
		return m
	}
	if m == nil {
		m = make(map[string]string, 1)
	}
	parseTags(comment, p.opts.Dialect, m)
	if len(m) == 0 {
		return nil
	}
	return m
}

func parseTags(comment, dialect string, m map[string]string) {
	comment = strings.TrimSpace(comment)
	if dialect == DialectLedger {
		if strings.HasPrefix(comment, ":") {
			flags, _, _ := strings.Cut(comment[1:], " ")
			for _, f := range strings.Split(flags, ":") {
				if f = strings.TrimSpace(f); f != "" {
					m[f] = ""
				}
			}
			return
		}
		if key, value, ok := strings.Cut(comment, ":"); ok && key != "" && !strings.ContainsAny(key, " \t") {
			m[key] = strings.TrimSpace(value)
		}
		return
	}
	for _, part := range strings.Split(comment, ",") {
		before, value, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		name := before
		if i := strings.LastIndexAny(before, " \t"); i >= 0 {
			name = before[i+1:]
		}
		if name != "" {
			m[name] = strings.TrimSpace(value)
		}
	}
}
