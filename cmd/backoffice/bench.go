package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/spf13/cobra"

	"backoffice/bench"
	"backoffice/sqldb"
)

func newBenchCmd() *cobra.Command {
	var pgURL, run, benchtime string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the product against its performance targets",
		Long: `bench runs the benchmarks of bench/ on scratch databases and prints each figure beside its
target: a fresh SQLite file in a temporary folder, and, with --postgres, a scratch schema in
that PostgreSQL database that is dropped afterwards. Your own data is never touched. The same
cases run under "go test -bench . ./bench".`,
		Example: `  backoffice bench
  backoffice bench --run audit --postgres postgres://postgres@127.0.0.1:5432/test`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			re, err := regexp.Compile(run)
			if err != nil {
				return fmt.Errorf("--run: %w", err)
			}
			testing.Init()
			if err := flag.Set("test.benchtime", benchtime); err != nil {
				return fmt.Errorf("--time: %w", err)
			}
			out := cmd.OutOrStdout()
			for _, c := range bench.Cases() {
				if !re.MatchString(c.Name) {
					continue
				}
				dialects := []string{"sqlite"}
				if pgURL != "" {
					dialects = append(dialects, "postgres")
				}
				for _, d := range dialects {
					v, err := runCase(cmd.Context(), c, d, pgURL)
					if err != nil {
						return fmt.Errorf("%s on %s: %w", c.Name, d, err)
					}
					fmt.Fprintf(out, "%-34s %-8s %12.1f %-11s target: %s\n", c.Name, d, v, c.Unit, c.Target)
				}
			}
			return nil
		},
	}
	cmd.AddCommand(newBenchLedgerCmd())
	cmd.Flags().StringVar(&pgURL, "postgres", "", "also run on this PostgreSQL database, in a scratch schema")
	cmd.Flags().StringVar(&run, "run", "", "only cases whose name matches this regular expression")
	cmd.Flags().StringVar(&benchtime, "time", "1s", "how long to run each case, or a count such as 100x")
	return cmd
}

// runCase runs one case on a scratch database of dialect.
func runCase(ctx context.Context, c bench.Case, dialect, pgURL string) (float64, error) {
	dsn, cleanup, err := scratchDatabase(ctx, dialect, pgURL)
	if err != nil {
		return 0, err
	}
	defer cleanup()
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return 0, err
	}
	var v float64
	var failed bool
	testing.Benchmark(func(b *testing.B) {
		v = c.Run(b, db)
		failed = b.Failed()
	})
	if failed {
		return 0, fmt.Errorf("the benchmark failed")
	}
	return v, nil
}

// scratchDatabase returns a DSN for an empty database and how to remove it.
func scratchDatabase(ctx context.Context, dialect, pgURL string) (string, func(), error) {
	if dialect == "sqlite" {
		dir, err := os.MkdirTemp("", "backoffice-bench-")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	admin, err := sqldb.Open(ctx, pgURL)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(pgURL)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = admin.ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}, nil
}
