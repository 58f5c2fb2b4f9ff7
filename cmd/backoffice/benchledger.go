package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"backoffice/ledger/plaintext"
)

func newBenchLedgerCmd() *cobra.Command {
	var transactions, accounts int
	var keep string
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "B1: trial balance over a generated journal, against hledger and ledger-cli",
		Long: `ledger generates a journal of --generate transactions over 100 accounts that all three tools
read, imports it into a scratch SQLite database, and then runs the trial balance as a whole
process — "backoffice report trial-balance" — beside "hledger bal" and "ledger bal" on the
same file, measuring wall time and peak memory of each. hledger and ledger are Debian packages
(apt-get install hledger ledger); a tool that is not installed is left out.
Targets (issue B1): 20× faster than ledger-cli, 150× faster than hledger, at most 1/8 of
ledger-cli's peak memory; the import of 1 million transactions within 30 s.`,
		Example: `  backoffice bench ledger --generate 100000
  backoffice bench ledger --generate 1000000 --keep /tmp/b1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return benchLedger(cmd.Context(), cmd.OutOrStdout(), transactions, accounts, keep)
		},
	}
	cmd.Flags().IntVar(&transactions, "generate", 100_000, "transactions in the generated journal")
	cmd.Flags().IntVar(&accounts, "accounts", 100, "accounts in the generated journal")
	cmd.Flags().StringVar(&keep, "keep", "", "folder to keep the journal and database in (default: a temporary folder, removed)")
	return cmd
}

// measurement is one process's wall time and peak resident memory.
type measurement struct {
	name   string
	wall   time.Duration
	maxRSS int64 // KiB
	err    error
}

func benchLedger(ctx context.Context, out io.Writer, transactions, accounts int, keep string) error {
	dir := keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "backoffice-b1-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	journal := filepath.Join(dir, "b1.journal")
	f, err := os.Create(journal)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := plaintext.Generate(w, transactions, accounts, 1); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	f.Close()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	dsn := "sqlite:" + filepath.Join(dir, "b1.db")
	_ = os.Remove(filepath.Join(dir, "b1.db"))
	imported, err := importForBench(ctx, self, dsn, journal)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(out, "generated %d transactions over %d accounts; import took %s, peak memory %.1f MiB (target for 1,000,000: <= 30 s)\n\n",
		transactions, accounts, imported.wall.Round(time.Millisecond), float64(imported.maxRSS)/1024)
	runs := []measurement{measure(ctx, "backoffice", self, "report", "trial-balance", "--db", dsn, "--company", "B1", "--format", "csv")}
	for _, tool := range []string{"ledger", "hledger"} {
		if p, err := exec.LookPath(tool); err == nil {
			runs = append(runs, measure(ctx, tool, p, "-f", journal, "bal"))
		}
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "tool\twall time\tpeak memory\tbackoffice is\t")
	for _, r := range runs {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\tfailed: %v\t\t\t\n", r.name, r.err)
			continue
		}
		ratio := ""
		if r.name != "backoffice" && runs[0].err == nil {
			ratio = fmt.Sprintf("%.1f× faster, %.1f× less memory", r.wall.Seconds()/runs[0].wall.Seconds(), float64(r.maxRSS)/float64(runs[0].maxRSS))
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f MiB\t%s\t\n", r.name, r.wall.Round(time.Millisecond), float64(r.maxRSS)/1024, ratio)
	}
	fmt.Fprintln(tw, "\ntargets: >= 20× faster than ledger, >= 150× faster than hledger, <= 1/8 of ledger's peak memory\t\t\t\t")
	return tw.Flush()
}

// importForBench sets up company B1 in a scratch database and imports the
// journal, each step as a child process: the import's memory then never
// counts towards the peak memory of the processes measured after it (a
// child's peak starts from its parent's size).
func importForBench(ctx context.Context, self, dsn, journal string) (measurement, error) {
	for _, args := range [][]string{{"migrate", "--db", dsn}, {"company", "create", "--db", dsn, "--code", "B1", "--name", "Benchmark", "--currency", "USD"}} {
		if out, err := exec.CommandContext(ctx, self, args...).CombinedOutput(); err != nil {
			return measurement{}, fmt.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	m := measure(ctx, "import", self, "import", "journal", "--db", dsn, "--company", "B1", "--format", "hledger", "--commodity", "$=USD", journal)
	return m, m.err
}

// measure runs a command to completion, discarding its output.
func measure(ctx context.Context, name, path string, args ...string) measurement {
	c := exec.CommandContext(ctx, path, args...)
	c.Stdout, c.Stderr = io.Discard, io.Discard
	start := time.Now()
	err := c.Run()
	m := measurement{name: name, wall: time.Since(start), err: err}
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss
	}
	return m
}
