package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"backoffice/sqldb"
)

func newMigrateCmd() *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or update the database tables (safe to run again)",
		Long: `migrate applies every pending migration of the product and of its job queue. Running it
again changes nothing. On PostgreSQL several processes may run it at once: one applies, the
others wait.`,
		Example: `  backoffice migrate --db ./backoffice-data/backoffice.db
  backoffice migrate --db postgres://app@127.0.0.1:5432/backoffice`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, err := sqldb.Open(ctx, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			applied, err := db.Migrate(ctx)
			if err != nil {
				return err
			}
			if err := migrateJobs(ctx, db); err != nil {
				return err
			}
			a, err := openApp(ctx, dsn, true, nil)
			if err != nil {
				return err
			}
			defer a.Close()
			v, err := db.MigrationVersion(ctx)
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s is up to date (schema version %d)\n", db, v)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "applied %d migration(s) to %s; schema version %d\n", len(applied), db, v)
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}
