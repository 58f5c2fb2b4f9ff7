package pain

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backoffice"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// paymentsDir holds the published schemas and samples (see /work/shared/testdata/README.md).
const paymentsDir = "../../../shared/testdata/payments"

// shared returns a file under paymentsDir, skipping the test when the shared folder is absent.
func shared(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(paymentsDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test data not found at %s", p)
	}
	return p
}

// xmllint validates file against xsd with libxml2's xmllint. CI installs it
// (.ci/run), so there a missing xmllint fails instead of skipping.
func xmllint(t *testing.T, xsd string, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is missing: install libxml2-utils")
		}
		t.Skip("xmllint not installed (libxml2-utils)")
	}
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		t.Errorf("%s does not validate against %s: %v\n%s\n--- document:\n%s", f, filepath.Base(xsd), err, out, doc)
	}
}

// clock is the fixed creation time of every generated file, so golden files are stable.
var clock = time.Date(2026, 3, 9, 14, 30, 0, 0, time.FixedZone("CET", 3600))

func date(s string) backoffice.Date {
	d, err := backoffice.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Realistic accounts: IBANs and creditor ids with valid check digits.
var (
	ourAccount = Account{Name: "Bäckerei Müller GmbH & Co. KG", IBAN: "DE89 3704 0044 0532 0130 00", BIC: "COBADEFFXXX"}
	supplierFR = Account{Name: "Société Générale d'Équipement", IBAN: "FR1420041010050500013M02606", BIC: "PSSTFRPPXXX"}
	supplierAT = Account{Name: "Ölmühle Großgmain", IBAN: "AT611904300234573201"}
	supplierCH = Account{Name: "Zürcher Käserei AG", IBAN: "CH9300762011623852957", BIC: "UBSWCHZH80A"}
	customerNL = Account{Name: "Jansen B.V.", IBAN: "NL91ABNA0417164300", BIC: "ABNANL2A"}
	customerDE = Account{Name: "Jürgen Weiß", IBAN: "DE02120300000000202051"}
)

const ourCreditorID = "DE98ZZZ09999999999"

func transfer() CreditTransfer {
	return CreditTransfer{
		MessageID:              "BO-ACME-RUN-17",
		CreationTime:           clock,
		Initiator:              Party{Name: "Bäckerei Müller GmbH & Co. KG"},
		Debtor:                 ourAccount,
		RequestedExecutionDate: date("2026-03-10"),
		Payments: []Payment{
			{EndToEndID: "BO-ACME-17-1", Amount: 123456, Currency: "EUR", Creditor: supplierFR, Remittance: "Facture n° 2026/0042 – « acompte »"},
			{EndToEndID: "BO-ACME-17-2", Amount: 10, Currency: "EUR", Creditor: supplierAT, StructuredCreditorReference: "RF18 5390 0754 7034"},
			{EndToEndID: "BO-ACME-17-3", Amount: 20, Currency: "EUR", Creditor: supplierCH, Remittance: "Rechnung 4711, Käse für März", ExecutionDate: date("2026-03-12")},
			{EndToEndID: "BO-ACME-17-4", Amount: 99999999999, Currency: "EUR", Creditor: supplierAT},
		},
	}
}

func debit() DirectDebit {
	return DirectDebit{
		MessageID:               "BO-ACME-DD-3",
		CreationTime:            clock,
		Creditor:                Creditor{Account: ourAccount, CreditorID: ourCreditorID},
		RequestedCollectionDate: date("2026-03-16"),
		Collections: []Collection{
			{EndToEndID: "DD-3-1", Amount: 4990, Currency: "EUR", Debtor: customerNL, MandateID: "M-2026-001", MandateSignatureDate: date("2026-01-05"), SequenceType: "FRST", Remittance: "Abo März"},
			{EndToEndID: "DD-3-2", Amount: 4990, Currency: "EUR", Debtor: customerDE, MandateID: "M-2025-117", MandateSignatureDate: date("2025-06-30"), SequenceType: "RCUR", Remittance: "Abo März, Kunde 117"},
			{EndToEndID: "DD-3-3", Amount: 15000, Currency: "EUR", Debtor: customerDE, MandateID: "M-2025-118", MandateSignatureDate: date("2025-06-30"), SequenceType: "RCUR"},
			{EndToEndID: "DD-3-4", Amount: 1, Currency: "EUR", Debtor: customerNL, MandateID: "M-2026-002", MandateSignatureDate: date("2026-02-01"), SequenceType: "OOFF", CollectionDate: date("2026-03-20")},
		},
	}
}

func mustWrite(t *testing.T, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// firstDiff is the 1-based line where a and b first differ.
func firstDiff(a, b []byte) int {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s at line %d; run go test -update and review the diff", p, firstDiff(got, want))
	}
}
