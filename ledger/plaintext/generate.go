package plaintext

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"

	"backoffice"
)

// Generate writes a journal of transactions over accounts accounts that
// ledger-cli, hledger and Parse all read: ISO dates from 2020-01-01 over
// about five years, cleared transactions of two or three USD postings with
// the last amount left out to balance. The same seed gives the same file.
// "backoffice bench ledger --generate N" uses it to compare the three.
func Generate(w io.Writer, transactions, accounts int, seed int64) error {
	if transactions < 0 || accounts < 2 {
		return backoffice.Errorf(backoffice.EInvalid, "generate needs at least 2 accounts and no negative count of transactions")
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	accountTypes := [...]string{"Assets", "Liabilities", "Equity", "Income", "Expenses"}
	names := make([]string, accounts)
	for i := range names {
		names[i] = fmt.Sprintf("%s:Account%04d", accountTypes[i%len(accountTypes)], i+1)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "; %d transactions over %d accounts, seed %d\n", transactions, accounts, seed)
	for _, name := range names {
		fmt.Fprintf(bw, "account %s\n", name)
	}
	start := backoffice.NewDate(2020, 1, 1)
	const days = 1826 // five years
	var buf []byte
	for i := range transactions {
		date := start.AddDays(int(int64(i) * days / int64(max(transactions, 1))))
		buf = append(buf[:0], '\n')
		buf = append(buf, date.String()...)
		buf = append(buf, " * Payee "...)
		buf = strconv.AppendInt(buf, int64(rng.IntN(1000)), 10)
		buf = append(buf, '\n')
		postings := 2 + rng.IntN(2)
		for k := range postings {
			buf = append(buf, "    "...)
			buf = append(buf, names[rng.IntN(accounts)]...)
			if k < postings-1 {
				minor := 1 + rng.Int64N(999999)
				if rng.IntN(3) == 0 {
					minor = -minor
				}
				buf = append(buf, "    "...)
				buf = append(buf, backoffice.FormatMinor(minor, 2)...)
				buf = append(buf, " USD"...)
			}
			buf = append(buf, '\n')
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}
