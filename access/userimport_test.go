package access_test

import (
	"bytes"
	"strings"
	"testing"

	"backoffice/csvio"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestImportUsers_ImportsEveryRowIntoTheCompany(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		file := "email;name;role;password\nann@example.com;Ann;accountant;correct horse battery\nbob@example.com;;;\n"
		rep, err := e.s.ImportUsers(e.ctx, strings.NewReader(file), e.company.ID, csvio.Options{})
		must(t, err)
		if rep.Imported != 2 {
			t.Fatalf("imported %d, want 2 (%+v)", rep.Imported, rep)
		}
		ms, err := e.s.ListMembers(e.ctx, e.company.ID)
		must(t, err)
		roles := map[string]string{}
		for _, m := range ms {
			roles[m.UserEmail] = m.RoleName
		}
		if roles["ann@example.com"] != "accountant" || roles["bob@example.com"] != "clerk" {
			t.Fatalf("roles after import: %v", roles)
		}
		if _, err := e.login("ann@example.com", "correct horse battery", "192.0.2.9"); err != nil {
			t.Fatalf("imported password does not sign in: %v", err)
		}
	})
}

func TestImportUsers_ReportsEveryBadRowAndImportsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		file := "email,name,role\nnot-an-email,X,clerk\nok@example.com,Ok,wizard\nadmin@example.com,Dup,clerk\nfine@example.com,Fine,clerk\n"
		rep, err := e.s.ImportUsers(e.ctx, strings.NewReader(file), e.company.ID, csvio.Options{})
		if err == nil {
			t.Fatal("bad file imported without error")
		}
		want := map[int]string{2: "email", 3: "role"}
		for line, col := range want {
			found := false
			for _, re := range rep.Errors {
				if re.Line == line && re.Column == col {
					found = true
				}
			}
			if !found {
				t.Errorf("no error for line %d column %s in %+v", line, col, rep.Errors)
			}
		}
		if _, err := e.s.UserByEmail(e.ctx, "fine@example.com"); err == nil {
			t.Fatal("a good row of a bad file was imported")
		}
	})
}

func TestImportUsers_BlamesExistingEmailOnItsLine(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		rep, err := e.s.ImportUsers(e.ctx, strings.NewReader("email\nnew@example.com\nadmin@example.com\nnew@example.com\n"), e.company.ID, csvio.Options{})
		if err == nil || len(rep.Errors) != 2 || rep.Errors[0].Line != 3 || rep.Errors[1].Line != 4 {
			t.Fatalf("errors = %+v (%v), want lines 3 and 4", rep.Errors, err)
		}
		if _, err := e.s.UserByEmail(e.ctx, "new@example.com"); err == nil {
			t.Fatal("user imported although the file had errors")
		}
	})
}

func TestImportUsers_DryRunStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		rep, err := e.s.ImportUsers(e.ctx, strings.NewReader("email\nnew@example.com\n"), e.company.ID, csvio.Options{DryRun: true})
		must(t, err)
		if !rep.DryRun || rep.Rows != 1 || rep.Imported != 0 {
			t.Fatalf("dry run report %+v", rep)
		}
		if _, err := e.s.UserByEmail(e.ctx, "new@example.com"); err == nil {
			t.Fatal("dry run stored a user")
		}
	})
}

func TestExportUsers_WritesTheImportFormatWithoutFormulas(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("=cmd@example.com", "auditor", e.company)
		var buf bytes.Buffer
		must(t, e.s.ExportUsers(e.ctx, &buf, e.company.ID))
		out := strings.ReplaceAll(buf.String(), "\r\n", "\n")
		if !strings.HasPrefix(out, "email,name,role,password\n") || !strings.Contains(out, "admin@example.com,Ada Admin,admin,") {
			t.Fatalf("export:\n%s", out)
		}
		if !strings.Contains(out, "'=cmd@example.com") {
			t.Fatalf("formula-like cell not neutralised:\n%s", out)
		}
	})
}
