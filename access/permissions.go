package access

import (
	"slices"
	"strings"
)

// Permission is one "domain.action" right that a role grants.
type Permission struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Permissions is the one table of every permission the product knows, in the
// order screens list them. Domains add their rows here.
func Permissions() []Permission {
	return []Permission{
		{"company.read", "See companies and their settings"},
		{"company.manage", "Create companies and change their settings"},
		{"user.read", "See users and their memberships"},
		{"user.manage", "Create, change, disable users and their memberships"},
		{"role.read", "See roles and their permissions"},
		{"role.manage", "Create, change and delete custom roles"},
		{"token.read", "See API tokens"},
		{"token.manage", "Create and revoke API tokens"},
		{"webhook.read", "See webhooks and their deliveries"},
		{"webhook.manage", "Create, change and replay webhooks"},
		{"audit.read", "Read the change log"},
		{"metrics.read", "Read operational metrics"},
		{"ledger.read", "See the chart of accounts, journal entries, balances and ledger reports"},
		{"ledger.post", "Create draft entries, post entries and reverse posted ones"},
		{"ledger.manage", "Change the chart of accounts, journals and balance limits"},
		{"ledger.close", "Set lock dates and reopen closed periods with a reason"},
		{"bank.read", "See bank accounts, their statements and statement lines"},
		{"bank.manage", "Create and change bank accounts and import bank statements"},
		{"party.read", "See customers and suppliers, their contacts and bank accounts"},
		{"party.manage", "Create, change, import, export and merge customers and suppliers"},
		{"invoice.read", "See invoices, credit notes, bills, refunds, tax codes and products"},
		{"invoice.manage", "Create, change and delete draft documents; manage tax codes and products"},
		{"invoice.post", "Post invoices, credit notes, bills and refunds, and cancel posted ones"},
		{"payment.read", "See payments, their allocations and supplier payment runs"},
		{"payment.manage", "Register, allocate and reverse payments, apply credits, draft payment runs"},
		{"payment.approve", "Approve supplier payment runs and confirm them as paid"},
	}
}

// KnownPermission reports whether name is in the permission table.
func KnownPermission(name string) bool {
	for _, p := range Permissions() {
		if p.Name == name {
			return true
		}
	}
	return false
}

// Names of the built-in roles.
const (
	RoleAdmin      = "admin"
	RoleAccountant = "accountant"
	RoleClerk      = "clerk"
	RoleAuditor    = "auditor"
)

// builtinRoles derives the built-in roles from the permission table, so a new
// permission reaches admin (and, for *.read, auditor) without further edits.
func builtinRoles() []NewRole {
	var all, reads, accountant []string
	for _, p := range Permissions() {
		all = append(all, p.Name)
		if strings.HasSuffix(p.Name, ".read") {
			reads = append(reads, p.Name)
			if p.Name != "metrics.read" {
				accountant = append(accountant, p.Name)
			}
		}
	}
	// The accountant keeps the books; a clerk may look at them but posting,
	// even a draft, is the accountant's (ledger.post covers drafts too).
	accountant = append(accountant, "token.manage", "ledger.post", "ledger.manage", "ledger.close", "bank.manage", "party.manage", "invoice.manage", "invoice.post", "payment.manage", "payment.approve")
	return []NewRole{
		{Name: RoleAdmin, Description: "Everything, including users, roles and settings", Permissions: all},
		{Name: RoleAccountant, Description: "Reads everything and keeps the books", Permissions: accountant},
		{Name: RoleClerk, Description: "Sees the company, its API tokens and its books", Permissions: []string{"company.read", "token.read", "ledger.read", "invoice.read", "invoice.manage", "payment.read", "payment.manage"}},
		{Name: RoleAuditor, Description: "Reads everything and changes nothing", Permissions: reads},
	}
}

func isBuiltinName(name string) bool {
	return slices.ContainsFunc(builtinRoles(), func(r NewRole) bool { return strings.EqualFold(r.Name, name) })
}

// normalisePermissions sorts and deduplicates a permission list.
func normalisePermissions(perms []string) []string {
	out := slices.Clone(perms)
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	slices.Sort(out)
	return slices.Compact(out)
}
