package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"backoffice/access"
	"backoffice/audit"
	"backoffice/bank"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
)

// app holds the opened database and the domain services of one process.
type app struct {
	db     *sqldb.DB
	audit  *audit.Log
	access *access.Service
	ledger *ledger.Service
	bank   *bank.Service
	party  *party.Service
	inv    *invoice.Service
	logger *slog.Logger
}

// dbFlag adds --db to cmd, defaulting to $BACKOFFICE_DB.
func dbFlag(cmd *cobra.Command, target *string) {
	cmd.Flags().StringVar(target, "db", os.Getenv("BACKOFFICE_DB"), "database: sqlite:PATH, a file path, or postgres://user@host/db (default $BACKOFFICE_DB)")
}

// openApp opens the database and wires the services. With migrate set it
// first applies pending migrations; otherwise an unmigrated database is an error.
func openApp(ctx context.Context, dsn string, migrate bool, logger *slog.Logger) (*app, error) {
	if dsn == "" {
		return nil, errors.New("no database given: use --db or set BACKOFFICE_DB (sqlite:PATH, a file path, or postgres://…)")
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if migrate {
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	} else if v, err := db.MigrationVersion(ctx); err != nil || v == 0 {
		db.Close()
		return nil, errors.New("the database has no tables yet: run `backoffice migrate --db " + db.String() + "` first")
	}
	if logger == nil {
		logger = slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	log := &audit.Log{}
	a := &app{db: db, audit: log, logger: logger, access: &access.Service{DB: db, Audit: log}, ledger: &ledger.Service{DB: db, Audit: log}}
	a.bank = &bank.Service{DB: db, Audit: log, Ledger: a.ledger}
	a.party = &party.Service{DB: db, Audit: log, Ledger: a.ledger}
	a.inv = &invoice.Service{DB: db, Audit: log, Ledger: a.ledger, Party: a.party}
	if migrate {
		if err := a.access.SyncBuiltinRoles(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return a, nil
}

func (a *app) Close() error { return a.db.Close() }

// openCompany opens the database and finds the company a command is for;
// the caller closes the app.
func openCompany(ctx context.Context, dsn, code string) (*app, access.Company, error) {
	a, err := openApp(ctx, dsn, false, nil)
	if err != nil {
		return nil, access.Company{}, err
	}
	c, err := a.access.CompanyByCode(ctx, code)
	if err != nil {
		a.Close()
		return nil, access.Company{}, fmt.Errorf("company %q: %w", code, err)
	}
	return a, c, nil
}

// output is standard output, or the file named by path ("" and "-" are
// standard output); close it when done.
func output(cmd *cobra.Command, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return cmd.OutOrStdout(), func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}
