// Command backoffice is the whole product in one binary: the web server, the
// database migrations, the demo, and the administration commands.
//
//	backoffice demo                      # try it: demo data on an embedded database
//	backoffice serve --db postgres://…   # run it for real
//	backoffice --help                    # every command, each with an example
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"backoffice"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitError carries a specific exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// run executes the command line and returns the process exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		err = ee.err
	}
	if err != nil {
		fmt.Fprintln(stderr, "backoffice:", userMessage(err))
	}
	return code
}

// userMessage is err as a person should read it: an application error's
// message and fields, anything else as is.
func userMessage(err error) string {
	var e *backoffice.Error
	if errors.As(err, &e) && e.Code != backoffice.EInternal {
		return e.Error()
	}
	return err.Error()
}

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "backoffice",
		Short: "Backoffice: ledger, invoicing, banking and the rest of the back office in one binary",
		Long: `Backoffice runs a company's back office: books, invoices, bank statements, and the people
and permissions around them. It keeps its data in an embedded SQLite file by default, or in
PostgreSQL for several server processes.

The database is chosen with --db or the BACKOFFICE_DB environment variable:
  sqlite:PATH or PATH          an SQLite file (created if missing)
  postgres://user@host/db      a PostgreSQL database`,
		Example: `  backoffice demo                                   # demo data, then http://127.0.0.1:8080
  backoffice serve --db ./data/backoffice.db
  BACKOFFICE_DB=postgres://app@db/backoffice backoffice migrate`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newServeCmd(), newDemoCmd(), newMigrateCmd(), newUserCmd(), newTokenCmd(), newCompanyCmd(),
		newImportCmd(), newExportCmd(), newBankAccountCmd(), newBankCmd(), newPartyCmd(), newInvoiceCmd(), newPaymentCmd(), newPaymentRunCmd(), newDebitRunCmd(), newDunningCmd(), newTaxCodeCmd(), newParseCmd(), newValidateCmd(), newReportCmd(), newLedgerCmd(), newBackupCmd(), newRestoreCmd(), newAuditCmd(), newBenchCmd(), newVersionCmd(),
	)
	addFXCommands(root)
	addRecurringInvoiceCommands(root)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		Example: "  backoffice version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "backoffice", version)
			return nil
		},
	}
}
