// Package plaintext reads the plain-text journals of ledger-cli and hledger,
// so that people can move their books into Backoffice with
// "backoffice import journal". It parses and checks only; the ledger package
// posts what it returns.
//
// Parse reads transactions (dates 2026-01-31, 2026/01/31, 2026.01.31 or
// 1/31 in the default year, secondary dates, status, code, description,
// comments and tags), postings (real, (virtual) and [balanced virtual], one
// amount left out per group), amounts ($1,234.56, -$5, $-5, 1234.56 USD,
// USD 1234.56, 1.234,56 EUR, "ACME Co" 10), costs (@ unit cost, @@ total),
// balance assertions (=, ==, =*, ==*) and assignments, and the directives
// account, commodity, D, P and N (ignored with a warning), Y/year, include
// (relative to the file, cycles refused), alias/end aliases, apply
// account/end apply account, apply tag/end tag, payee, tag, decimal-mark and
// comment/end comment blocks.
//
// Decisions, each to keep the import exact:
//
//   - Every amount becomes integer minor units of an ISO 4217 currency.
//     Symbols map through Options.Commodities ("$" -> USD); ISO codes map to
//     themselves. Any other commodity (shares, crypto, hours) is an error
//     naming it and the line and saying to map it with --commodity: the
//     ledger books currencies only, and Money holds nothing else.
//   - An amount with more decimals than its currency has is an error; it is
//     never rounded. A unit cost is multiplied out exactly into Cost, the
//     total; when that is not a whole number of minor units the error says
//     to write the total with @@.
//   - A transaction must balance exactly per currency after costs. Both
//     tools infer a rate when two currencies face each other without @; the
//     import refuses and asks for @ or @@.
//   - A posting without an amount takes the balancing amount; with several
//     currencies it becomes one posting per currency. hledger and ledger-cli
//     both do this.
//   - Transactions without postings book nothing and are skipped with a
//     warning; market prices (P, N) likewise. Posting dates written in
//     comments ("; [=2026-02-01]", "; date:…") stay in the comment.
//   - Automated (=) and periodic (~) transactions, lot prices {…}, value
//     expressions (…) and any directive not listed above are errors with the
//     file and line. Parse reports every problem at once and returns no
//     journal: nothing is imported from a file with any error.
//
// Where the two tools read the same text differently, Options.Dialect picks:
//
//   - "$1,000" (one comma, three digits, no declared decimal mark): ledger-cli
//     reads 1000, hledger 1.000. The ledger dialect reads 1000; the hledger
//     dialect refuses the amount and asks for a decimal-mark or commodity
//     directive rather than import a thousandth of the intended sum.
//   - Balance assertions are checked in date order by hledger, in file order
//     by ledger-cli.
//   - hledger splits the description "payee | note"; ledger-cli does not.
//   - hledger allows one amountless posting among real and one among
//     [bracketed] postings; ledger-cli one per transaction.
//   - Tags: hledger's "name:value" (value up to a comma); ledger-cli's
//     ":flag1:flag2:" and "Key: value".
//   - Aliases: hledger adds the "apply account" parent first, then applies
//     every alias (leading components or /regex/), the latest first;
//     ledger-cli applies one alias (a whole name or its first component)
//     before adding the parent.
package plaintext
