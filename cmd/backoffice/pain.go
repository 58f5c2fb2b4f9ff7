package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/bank"
	"backoffice/bank/pain"
	"backoffice/invoice"
)

func newParsePaymentStatusCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "payment-status FILE",
		Short: "Read a bank's pain.002 payment status report and print it normalised",
		Long: `payment-status reads a pain.002 customer payment status report (versions 001.03 to
001.10; other versions and files without a namespace are read leniently, with a warning)
and prints the status of the original file and of each transaction, without touching any
database. A transaction without its own status has its payment group's, else the file's.

With --json the output is:
  {"version", "message_id", "creation_time", "original_message_id", "original_message_type",
   "group_status", "group_reasons":[{"code","text"}], "transactions":[{
   "original_payment_info_id", "original_end_to_end_id", "status", "reason_code",
   "reason_text", "original_amount":{"amount","currency"}}], "warnings":[{"line","message"}]}
Statuses are the ISO 20022 codes (ACCP, ACSC, ACTC, PART, PDNG, RJCT …), reasons the ISO
reason codes (AC01 wrong IBAN, AC04 account closed, AM04 insufficient funds …).
Exit status 0 when the file was read, 1 when it is not a readable status report.`,
		Example: `  backoffice parse payment-status --json status.xml
  backoffice parse payment-status pain002-from-bank.xml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			defer f.Close()
			rpt, err := pain.Read(f)
			if err != nil {
				return &exitError{code: 1, err: fmt.Errorf("%s: %s", args[0], userMessage(err))}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rpt)
			}
			printStatusReport(cmd, args[0], rpt)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the normalised JSON")
	return cmd
}

func printStatusReport(cmd *cobra.Command, file string, rpt *pain.StatusReport) {
	out := cmd.OutOrStdout()
	version := rpt.Version
	if version == "" {
		version = "pain.002 (version unknown)"
	}
	fmt.Fprintf(out, "%s: %s, answers %s %s: %s\n", file, version, rpt.OriginalMessageType, rpt.OriginalMessageID, statusOr(rpt.GroupStatus))
	for _, r := range rpt.GroupReasons {
		fmt.Fprintf(out, "  %s %s\n", r.Code, r.Text)
	}
	for _, t := range rpt.Transactions {
		amount := ""
		if !t.OriginalAmount.IsZero() {
			amount = t.OriginalAmount.String()
		}
		fmt.Fprintf(out, "  %-35s %-4s %14s  %s %s\n", t.OriginalEndToEndID, t.Status, amount, t.ReasonCode, t.ReasonText)
	}
	for _, w := range rpt.Warnings {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s:%s\n", file, w)
	}
}

func statusOr(s string) string {
	if s == "" {
		return "no file status (see transactions)"
	}
	return s
}

func newExportPaymentsCmd() *cobra.Command {
	var dsn, company, format, out string
	var runID, debitRunID int64
	var batch bool
	cmd := &cobra.Command{
		Use:   "payments",
		Short: "Write an approved payment run (pain.001) or direct debit run (pain.008) as a SEPA file",
		Long: `payments writes a payment run as a pain.001 credit transfer file to upload to the bank:
one transfer per supplier with the run's end-to-end id, executed on the run's pay date, from
the company's bank account linked to the run's ledger account. The debtor name is the
company's legal name (company profile). Each supplier needs a bank account (IBAN, and a
BIC outside the EEA) on its party record; the remittance lists the suppliers' invoice
numbers. The run must be approved or sent and in EUR; an approved run is marked sent once
the file is written. The file's message id is the same for every export of one run
(BO-<company>-<run>), so a bank refuses a second upload of the same run.

With --debit-run ID (and --format pain.008.001.02 or pain.008.001.08) it writes a direct debit
run instead: one collection per invoice under the customer's mandate, with the run's end-to-end
ids and the mandates' sequence types (FRST, RCUR, OOFF, FNAL), collected on the run's collection
date into the company's bank account linked to the run's ledger account, with the SEPA creditor
id of the company profile. An approved run is marked exported; its message id is BO-<company>-D<run>.`,
		Example: `  backoffice export payments --db data.db --company ACME --run 12 --out run12.xml
  backoffice export payments --db data.db --company ACME --run 12 --format pain.001.001.09 --batch-booking
  backoffice export payments --db data.db --company ACME --debit-run 4 --format pain.008.001.08 --out dd4.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := pain.Version(format)
			if debitRunID != 0 {
				return exportDebitRun(cmd, dsn, company, out, debitRunID, v)
			}
			if runID == 0 {
				return fmt.Errorf("--run or --debit-run is required")
			}
			if v != pain.CreditTransfer03 && v != pain.CreditTransfer09 {
				return fmt.Errorf("--format %q: use %s or %s", format, pain.CreditTransfer03, pain.CreditTransfer09)
			}
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			run, err := a.inv.GetRun(ctx, c.ID, backoffice.ID(runID))
			if err != nil {
				return err
			}
			ct, err := creditTransfer(cmd, a, c.ID, run)
			if err != nil {
				return err
			}
			ct.BatchBooking = batch
			// Written to memory first: an invalid run must not leave an empty file behind.
			var file bytes.Buffer
			if err := pain.WriteCreditTransfer(&file, ct, v); err != nil {
				return err
			}
			w, closeOut, err := output(cmd, out)
			if err != nil {
				return err
			}
			if _, err := file.WriteTo(w); err != nil {
				closeOut()
				return err
			}
			if err := closeOut(); err != nil {
				return err
			}
			if run.State == invoice.RunApproved {
				if _, err := a.inv.MarkRunSent(ctx, c.ID, run.ID); err != nil {
					return fmt.Errorf("the file was written but the run could not be marked sent: %w", err)
				}
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().Int64Var(&runID, "run", 0, "payment run id (or --debit-run)")
	cmd.Flags().Int64Var(&debitRunID, "debit-run", 0, "direct debit run id, instead of --run")
	cmd.Flags().StringVar(&format, "format", string(pain.CreditTransfer03), "pain.001.001.03 or pain.001.001.09; pain.008.001.02 or pain.008.001.08 with --debit-run")
	cmd.Flags().StringVar(&out, "out", "", "file to write (default standard output)")
	cmd.Flags().BoolVar(&batch, "batch-booking", false, "ask the bank for one debit for the whole file instead of one per supplier")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// creditTransfer maps a payment run to a pain.001 credit transfer: the
// debtor account is the company's bank account on the run's ledger account.
func creditTransfer(cmd *cobra.Command, a *app, companyID backoffice.ID, run invoice.Run) (pain.CreditTransfer, error) {
	ctx := cmd.Context()
	if run.State != invoice.RunApproved && run.State != invoice.RunSent {
		return pain.CreditTransfer{}, backoffice.Errorf(backoffice.EConflict, "payment run %s is %s: only an approved run goes to the bank", run.Number, run.State)
	}
	profile, err := a.party.Profile(ctx, companyID)
	if err != nil {
		return pain.CreditTransfer{}, err
	}
	debtor, err := runBankAccount(cmd, a.bank, companyID, run)
	if err != nil {
		return pain.CreditTransfer{}, err
	}
	ct := pain.CreditTransfer{
		MessageID:              fmt.Sprintf("BO-%d-%d", companyID, run.ID),
		CreationTime:           time.Now(),
		Debtor:                 pain.Account{Name: profile.LegalName, IBAN: debtor.IBAN, BIC: debtor.BIC},
		RequestedExecutionDate: run.PayDate,
	}
	if ct.Debtor.BIC == "" && bank.NormalizeIBAN(profile.IBAN) == debtor.IBAN {
		ct.Debtor.BIC = profile.BIC
	}
	for _, t := range run.Transfers() {
		p, err := a.party.Get(ctx, companyID, t.PartyID)
		if err != nil {
			return pain.CreditTransfer{}, err
		}
		if len(p.BankAccounts) == 0 {
			return pain.CreditTransfer{}, backoffice.Errorf(backoffice.EInvalid, "supplier %s (transfer %s) has no bank account: add its IBAN to the party", p.Name(), t.EndToEndID)
		}
		acct := p.BankAccounts[0]
		name := acct.Holder
		if name == "" {
			name = p.Name()
		}
		ct.Payments = append(ct.Payments, pain.Payment{
			EndToEndID: t.EndToEndID, Amount: t.Amount, Currency: run.Currency,
			Creditor:   pain.Account{Name: name, IBAN: acct.IBAN, BIC: acct.BIC},
			Remittance: remittanceOf(t),
		})
	}
	return ct, nil
}

// runBankAccount is the company's active bank account posting to the run's
// ledger account; it must have an IBAN.
func runBankAccount(cmd *cobra.Command, s *bank.Service, companyID backoffice.ID, run invoice.Run) (bank.Account, error) {
	accounts, err := s.List(cmd.Context(), companyID, false)
	if err != nil {
		return bank.Account{}, err
	}
	for _, acct := range accounts {
		if acct.LedgerAccountID == run.AccountID && acct.IBAN != "" {
			return acct, nil
		}
	}
	return bank.Account{}, backoffice.Errorf(backoffice.EInvalid, "payment run %s pays from a ledger account that no active bank account with an IBAN is linked to: add the bank account (backoffice bank-account) first", run.Number)
}

// remittanceOf lists the supplier's invoice numbers (their own numbers when
// known) in the 140 characters of unstructured remittance, ending with
// "and n more" when they do not all fit.
func remittanceOf(t invoice.Transfer) string {
	const max = 140
	var refs []string
	for _, l := range t.Lines {
		ref := l.Reference
		if ref == "" {
			ref = l.DocumentNumber
		}
		refs = append(refs, pain.Latin(ref))
	}
	text := "Invoices " + strings.Join(refs, ", ")
	if len(refs) == 1 {
		text = "Invoice " + refs[0]
	}
	for n := len(refs) - 1; len(text) > max && n > 0; n-- {
		text = fmt.Sprintf("Invoices %s and %d more", strings.Join(refs[:n], ", "), len(refs)-n)
	}
	if len(text) > max {
		text = text[:max]
	}
	return text
}
