package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"backoffice/audit"
)

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check the change log",
	}
	var dsn string
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Prove that no change-log record was altered, deleted or inserted",
		Long: `verify walks the whole change log, recomputes every record's SHA-256 hash and checks the
chain that links each record to the one before. It prints "ok: N records" and exits 0, or
names the first record that was altered, deleted or inserted and exits 1.`,
		Example: `  backoffice audit verify --db ./backoffice-data/backoffice.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := openApp(ctx, dsn, false, nil)
			if err != nil {
				return err
			}
			defer a.Close()
			bar := newProgress(cmd, -1, "verifying")
			res, err := audit.Verify(ctx, a.db, func(done int64) { bar.Set64(done) })
			bar.Finish()
			if err != nil {
				return err
			}
			if !res.OK {
				return &exitError{code: 1, err: fmt.Errorf("change log FAILED verification after %d records: %s", res.Records, res.Problem.Message)}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ok: %d records\n", res.Records)
			return nil
		},
	}
	dbFlag(verify, &dsn)
	cmd.AddCommand(verify)
	return cmd
}
