package access_test

import (
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCreateCompany_CreatorBecomesAdmin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		members, err := e.s.ListMembers(e.ctx, e.company.ID)
		must(t, err)
		if len(members) != 1 || members[0].UserID != e.admin.ID || members[0].RoleName != access.RoleAdmin || members[0].CompanyCode != "ACME" {
			t.Fatalf("members %+v", members)
		}
		bob := e.user("bob@example.com", access.RoleClerk)
		viaToken := backoffice.WithActor(e.ctx, backoffice.Actor{UserID: bob.ID, TokenID: 9, Name: bob.Email})
		c, err := e.s.CreateCompany(viaToken, access.NewCompany{Code: "BOBCO", Name: "Bob Co", Currency: "CHF"})
		must(t, err)
		if members, _ = e.s.ListMembers(e.ctx, c.ID); len(members) != 1 || members[0].UserID != bob.ID || members[0].RoleName != access.RoleAdmin {
			t.Fatalf("company made through a token: members %+v", members)
		}
	})
}

func TestCreateCompany_ValidatesAndKeepsCodesUnique(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateCompany(e.ctx, access.NewCompany{Code: "bad code!", Name: "", Currency: "EURO"})
		wantCode(t, err, backoffice.EInvalid)
		if f := fields(err); f["code"] == "" || f["name"] == "" || f["currency"] == "" {
			t.Fatalf("fields %v", f)
		}
		_, err = e.s.CreateCompany(e.ctx, access.NewCompany{Code: "ACME", Name: "Again", Currency: "usd"})
		wantCode(t, err, backoffice.EConflict)
		if err.Error() != "company code ACME is already used" {
			t.Errorf("message %q", err)
		}
	})
}

func TestUpdateCompany_ChecksVersion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		name := "Acme Holding"
		c, err := e.s.UpdateCompany(e.ctx, e.company.ID, e.company.Version, access.CompanyPatch{Name: &name})
		must(t, err)
		if c.Name != name || c.Version != e.company.Version+1 {
			t.Fatalf("updated %+v", c)
		}
		_, err = e.s.UpdateCompany(e.ctx, e.company.ID, e.company.Version, access.CompanyPatch{Name: &name})
		wantCode(t, err, backoffice.EPrecondition)
		list, err := e.s.ListCompanies(e.ctx, nil)
		must(t, err)
		byCode, err := e.s.CompanyByCode(e.ctx, "ACME")
		must(t, err)
		if len(list) != 1 || byCode.Name != name {
			t.Fatalf("list %+v, by code %+v", list, byCode)
		}
		none, err := e.s.ListCompanies(e.ctx, []backoffice.ID{})
		must(t, err)
		if len(none) != 0 {
			t.Fatalf("empty id list gave %d companies", len(none))
		}
	})
}
