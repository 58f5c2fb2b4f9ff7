package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"backoffice/backup"
	"backoffice/sqldb"
)

func newBackupCmd() *cobra.Command {
	var dsn, out string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Write every table to a portable archive file",
		Long: `backup writes all data to one compressed, versioned archive that restore can load into an
empty database of either kind, SQLite or PostgreSQL. Together they move an installation from
SQLite to PostgreSQL (or back).`,
		Example: `  backoffice backup --db ./backoffice-data/backoffice.db --out backoffice-2026-11-23.bak
  backoffice restore --db postgres://app@127.0.0.1/backoffice backoffice-2026-11-23.bak`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := openApp(ctx, dsn, false, nil)
			if err != nil {
				return err
			}
			defer a.Close()
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return fmt.Errorf("create backup file: %w", err)
			}
			bar := newProgress(cmd, -1, "backing up")
			m, err := backup.Write(ctx, a.db, f, func(table string, rows int64) { bar.Describe(table); bar.Set64(rows) })
			bar.Finish()
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(out)
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %s\n", out, summary(m))
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&out, "out", "", "archive file to create; it must not exist yet (required)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func newRestoreCmd() *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Load a backup archive into an empty database of either kind",
		Long: `restore creates the tables (as migrate does) and loads an archive written by backup, in one
transaction: on any error nothing is loaded. The database must be empty.`,
		Example: `  backoffice restore --db postgres://app@127.0.0.1/backoffice backoffice-2026-11-23.bak
  backoffice audit verify --db postgres://app@127.0.0.1/backoffice`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := sqldb.Open(ctx, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			bar := newProgress(cmd, -1, "restoring")
			m, err := backup.Restore(ctx, db, f, func(table string, rows int64) { bar.Describe(table); bar.Set64(rows) })
			bar.Finish()
			if err != nil {
				return err
			}
			if err := migrateJobs(ctx, db); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s into %s: %s\n", args[0], db, summary(m))
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	return cmd
}

// summary describes an archive in one line.
func summary(m backup.Manifest) string {
	return fmt.Sprintf("%d rows in %d tables, schema version %d, from %s", m.Rows(), len(m.Tables), m.SchemaVersion, m.Dialect)
}
