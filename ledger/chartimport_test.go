package ledger_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestImportChart_EverySampleChartCreatesItsAccountsOnce imports every
// published chart (GnuCash templates, Frappe Books JSON, Odoo CSV) into a
// company of its own, then again: the second time creates nothing.
func TestImportChart_EverySampleChartCreatesItsAccountsOnce(t *testing.T) {
	var files []string
	_ = filepath.WalkDir("../../shared/testdata/coa", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".gnucash-xea") || strings.HasSuffix(p, ".json") || strings.HasSuffix(p, "account.account-generic_coa.csv")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("no sample charts in ../../shared/testdata/coa")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		for i, f := range files {
			data, err := os.ReadFile(f)
			must(t, err)
			company := e.newCompany(fmt.Sprintf("C%d", i), "EUR")
			dry, err := e.s.ImportChart(e.ctx, company, data, true)
			if err != nil {
				t.Errorf("%s: dry run: %v", f, err)
				continue
			}
			rep, err := e.s.ImportChart(e.ctx, company, data, false)
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			if dry.Created != 0 || rep.Created != rep.Accounts || rep.Accounts == 0 || rep.Accounts != dry.Accounts {
				t.Errorf("%s: dry run %+v, import %+v", f, dry, rep)
			}
			again, err := e.s.ImportChart(e.ctx, company, data, false)
			if err != nil || again.Created != 0 || again.Existing != rep.Accounts {
				t.Errorf("%s: second import %+v %v", f, again, err)
			}
		}
	})
}

func TestImportChart_RefusesWhatIsNotAChart(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.ImportChart(e.ctx, e.company, []byte("just some text\n"), false)
		if backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Fatalf("err = %v", err)
		}
	})
}
