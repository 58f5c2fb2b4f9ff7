package access_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// listAll follows the cursor page by page and returns the ids in order.
func listAll(t *testing.T, e *env, f access.UserFilter) []backoffice.ID {
	t.Helper()
	var ids []backoffice.ID
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatal("the cursor never ends")
		}
		page, err := e.s.ListUsers(e.ctx, f)
		must(t, err)
		if len(page.Items) > f.Page.Limit {
			t.Fatalf("page of %d items, limit %d", len(page.Items), f.Page.Limit)
		}
		for _, u := range page.Items {
			ids = append(ids, u.ID)
		}
		if page.Next == "" {
			return ids
		}
		f.Page.After = page.Next
	}
}

func TestListUsers_PaginatesWithCursorInEverySortOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		// Equal names and equal creation times force the id tie-break.
		for i, name := range []string{"kim", "ann", "kim", "zoe", "bea", "kim", "ann"} {
			if i%3 != 0 {
				e.clk.Advance(1234567 * time.Microsecond) // fractions of seconds must sort too
			}
			_, _, err := e.s.CreateUser(e.ctx, access.NewUser{Email: name + string(rune('a'+i)) + "@example.com", Name: name, Password: testPassword})
			must(t, err)
		}
		page, err := e.s.ListUsers(e.ctx, access.UserFilter{Page: backoffice.Page{Limit: 100}})
		must(t, err)
		users := page.Items
		if len(users) != 8 {
			t.Fatalf("%d users, want 8", len(users))
		}
		keys := map[string]func(a, b access.User) int{
			"email":   func(a, b access.User) int { return strings.Compare(a.Email, b.Email) },
			"name":    func(a, b access.User) int { return strings.Compare(a.Name, b.Name) },
			"created": func(a, b access.User) int { return a.CreatedAt.Compare(b.CreatedAt) },
		}
		for name, key := range keys {
			for _, desc := range []bool{false, true} {
				sortName := name
				want := slices.Clone(users)
				slices.SortFunc(want, func(a, b access.User) int { return cmp.Or(key(a, b), cmp.Compare(a.ID, b.ID)) })
				if desc {
					sortName = "-" + name
					slices.Reverse(want)
				}
				var wantIDs []backoffice.ID
				for _, u := range want {
					wantIDs = append(wantIDs, u.ID)
				}
				for _, limit := range []int{1, 2, 3} {
					got := listAll(t, e, access.UserFilter{Sort: sortName, Page: backoffice.Page{Limit: limit}})
					if !slices.Equal(got, wantIDs) {
						t.Errorf("sort %s, pages of %d: %v, want %v", sortName, limit, got, wantIDs)
					}
				}
			}
		}
	})
}

func TestListUsers_FiltersByCompanyQueryAndState(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		beta := e.newCompany("BETA")
		bob := e.user("bob@example.com", access.RoleClerk, beta)
		e.user("bea_50%@example.com", access.RoleClerk, e.company)
		must(t, e.s.DisableUser(e.ctx, bob.ID, ""))
		yes, no := true, false
		cases := []struct {
			name string
			f    access.UserFilter
			want int
		}{
			{"all", access.UserFilter{}, 3},
			{"company (bob and its creator)", access.UserFilter{CompanyID: beta.ID}, 2},
			{"query in any case", access.UserFilter{Query: "ADA"}, 1},
			{"query wildcard is literal", access.UserFilter{Query: "50%"}, 1},
			{"underscore is literal", access.UserFilter{Query: "a_a"}, 0},
			{"disabled", access.UserFilter{Disabled: &yes}, 1},
			{"enabled", access.UserFilter{Disabled: &no}, 2},
		}
		for _, c := range cases {
			c.f.Page.Limit = 10
			if got := listAll(t, e, c.f); len(got) != c.want {
				t.Errorf("%s: %d users, want %d", c.name, len(got), c.want)
			}
		}
	})
}

func TestListUsers_RejectsForeignCursorAndSort(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk)
		page, err := e.s.ListUsers(e.ctx, access.UserFilter{Sort: "name", Page: backoffice.Page{Limit: 1}})
		must(t, err)
		_, err = e.s.ListUsers(e.ctx, access.UserFilter{Sort: "email", Page: backoffice.Page{Limit: 1, After: page.Next}})
		wantCode(t, err, backoffice.EInvalid)
		_, err = e.s.ListUsers(e.ctx, access.UserFilter{Page: backoffice.Page{After: "garbage"}})
		wantCode(t, err, backoffice.EInvalid)
		_, err = e.s.ListUsers(e.ctx, access.UserFilter{Sort: "password"})
		wantCode(t, err, backoffice.EInvalid)
	})
}
