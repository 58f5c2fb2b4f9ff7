package web

import (
	"net/http"

	"backoffice/bank"
	"backoffice/invoice"
	"backoffice/party"
)

// handlerFunc is a handler that returns its error instead of writing it; the
// route wrapper renders errors for the route's audience.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one line of the routing table.
type Route struct {
	Method string
	Path   string // net/http pattern, e.g. /api/v1/users/{id}
	Perm   string // permission required, PermSignedIn or PermPublic
	API    bool   // JSON API route: problem+json errors, documented in OpenAPI
	Handle handlerFunc

	Summary         string // one line for the OpenAPI document
	In              any    // request body type, for the OpenAPI document
	Out             any    // response body type, for the OpenAPI document
	Upload          bool   // accepts a file upload: larger body limit
	DuringEnrolment bool   // reachable while the user must still enrol TOTP
	SessionOnly     bool   // refused to API tokens: a token must not mint tokens
}

// Routes is the one table of every route: method, path, permission, handler.
// Read it top to bottom to know who may do what.
func (s *Server) Routes() []Route {
	return []Route{
		// Health and documentation.
		{Method: "GET", Path: "/healthz", Perm: PermPublic, Handle: s.healthz},
		{Method: "GET", Path: "/readyz", Perm: PermPublic, Handle: s.readyz},
		{Method: "GET", Path: "/metrics", Perm: "metrics.read", Handle: s.serveMetrics},
		{Method: "GET", Path: "/api/v1/openapi.json", Perm: PermPublic, API: true, Handle: s.openAPI, Summary: "This OpenAPI document"},
		{Method: "GET", Path: "/static/{file...}", Perm: PermPublic, Handle: s.static},

		// API: the caller.
		{Method: "GET", Path: "/api/v1/me", Perm: PermSignedIn, API: true, Handle: s.apiMe, Summary: "The signed-in user or token, its company, role and permissions", Out: meOut{}},
		{Method: "GET", Path: "/api/v1/permissions", Perm: "role.read", API: true, Handle: s.apiPermissions, Summary: "Every permission a role can hold", Out: listOf[permissionOut]{}},

		// API: companies and members.
		{Method: "GET", Path: "/api/v1/companies", Perm: "company.read", API: true, Handle: s.apiListCompanies, Summary: "Companies the caller belongs to", Out: listOf[companyOut]{}},
		{Method: "POST", Path: "/api/v1/companies", Perm: "company.manage", API: true, Handle: s.apiCreateCompany, Summary: "Create a company; the caller becomes its admin", In: companyIn{}, Out: companyOut{}},
		{Method: "GET", Path: "/api/v1/companies/{id}", Perm: "company.read", API: true, Handle: s.apiGetCompany, Summary: "One company", Out: companyOut{}},
		{Method: "PATCH", Path: "/api/v1/companies/{id}", Perm: "company.manage", API: true, Handle: s.apiUpdateCompany, Summary: "Rename a company (If-Match: its ETag)", In: companyPatchIn{}, Out: companyOut{}},
		{Method: "GET", Path: "/api/v1/companies/{id}/history", Perm: "company.read", API: true, Handle: s.apiHistory("company"), Summary: "Change history of a company", Out: listOf[changeOut]{}},
		{Method: "GET", Path: "/api/v1/members", Perm: "user.read", API: true, Handle: s.apiListMembers, Summary: "Members of the current company and their roles", Out: listOf[memberOut]{}},
		{Method: "PUT", Path: "/api/v1/members/{user}", Perm: "user.manage", API: true, Handle: s.apiPutMember, Summary: "Add a user to the current company or change their role", In: memberIn{}, Out: memberOut{}},
		{Method: "DELETE", Path: "/api/v1/members/{user}", Perm: "user.manage", API: true, Handle: s.apiDeleteMember, Summary: "Remove a user from the current company"},

		// API: users.
		{Method: "GET", Path: "/api/v1/users", Perm: "user.read", API: true, Handle: s.apiListUsers, Summary: "Users of the current company (?q=&disabled=&sort=&limit=&after=)", Out: listOf[userOut]{}},
		{Method: "POST", Path: "/api/v1/users", Perm: "user.manage", API: true, Handle: s.apiCreateUser, Summary: "Create a user in the current company; the password is returned once", In: userIn{}, Out: userCreatedOut{}},
		{Method: "GET", Path: "/api/v1/users/export", Perm: "user.read", API: true, Handle: s.apiExportUsers, Summary: "Users of the current company as CSV"},
		{Method: "POST", Path: "/api/v1/users/import", Perm: "user.manage", API: true, Upload: true, Handle: s.apiImportUsers, Summary: "Import users from CSV (text/csv body; ?dry_run=true to check only)", Out: importOut{}},
		{Method: "GET", Path: "/api/v1/users/{id}", Perm: "user.read", API: true, Handle: s.apiGetUser, Summary: "One user", Out: userOut{}},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Perm: "user.manage", API: true, Handle: s.apiUpdateUser, Summary: "Change a user's name or e-mail (If-Match: its ETag)", In: userPatchIn{}, Out: userOut{}},
		{Method: "POST", Path: "/api/v1/users/{id}/disable", Perm: "user.manage", API: true, Handle: s.apiUserAction("disable"), Summary: "Disable a user and end their sessions", In: reasonIn{}, Out: userOut{}},
		{Method: "POST", Path: "/api/v1/users/{id}/enable", Perm: "user.manage", API: true, Handle: s.apiUserAction("enable"), Summary: "Enable a disabled user", In: reasonIn{}, Out: userOut{}},
		{Method: "POST", Path: "/api/v1/users/{id}/reset-password", Perm: "user.manage", API: true, Handle: s.apiResetPassword, Summary: "Generate a new password (returned once) and end the user's sessions", Out: passwordOut{}},
		{Method: "POST", Path: "/api/v1/users/{id}/reset-totp", Perm: "user.manage", API: true, Handle: s.apiUserAction("reset-totp"), Summary: "Remove a user's authenticator so they can enrol again", In: reasonIn{}, Out: userOut{}},
		{Method: "GET", Path: "/api/v1/users/{id}/history", Perm: "user.read", API: true, Handle: s.apiHistory("user"), Summary: "Change history of a user", Out: listOf[changeOut]{}},

		// API: roles.
		{Method: "GET", Path: "/api/v1/roles", Perm: "role.read", API: true, Handle: s.apiListRoles, Summary: "Built-in and custom roles", Out: listOf[roleOut]{}},
		{Method: "POST", Path: "/api/v1/roles", Perm: "role.manage", API: true, Handle: s.apiCreateRole, Summary: "Create a custom role", In: roleIn{}, Out: roleOut{}},
		{Method: "GET", Path: "/api/v1/roles/{id}", Perm: "role.read", API: true, Handle: s.apiGetRole, Summary: "One role", Out: roleOut{}},
		{Method: "PATCH", Path: "/api/v1/roles/{id}", Perm: "role.manage", API: true, Handle: s.apiUpdateRole, Summary: "Change a role (If-Match: its ETag); built-in roles only accept require_totp", In: rolePatchIn{}, Out: roleOut{}},
		{Method: "DELETE", Path: "/api/v1/roles/{id}", Perm: "role.manage", API: true, Handle: s.apiDeleteRole, Summary: "Delete an unused custom role (If-Match: its ETag)"},
		{Method: "GET", Path: "/api/v1/roles/{id}/history", Perm: "role.read", API: true, Handle: s.apiHistory("role"), Summary: "Change history of a role", Out: listOf[changeOut]{}},

		// API: tokens.
		{Method: "GET", Path: "/api/v1/tokens", Perm: "token.read", API: true, Handle: s.apiListTokens, Summary: "API tokens of the caller (all of the company's with token.manage)", Out: listOf[tokenOut]{}},
		{Method: "POST", Path: "/api/v1/tokens", Perm: "token.manage", API: true, SessionOnly: true, Handle: s.apiCreateToken, Summary: "Create an API token; the secret is returned once", In: tokenIn{}, Out: tokenCreatedOut{}},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Perm: "token.manage", API: true, Handle: s.apiRevokeToken, Summary: "Revoke an API token"},

		// API: webhooks.
		{Method: "GET", Path: "/api/v1/webhooks", Perm: "webhook.read", API: true, Handle: s.apiListWebhooks, Summary: "Webhook subscriptions of the current company", Out: listOf[webhookOut]{}},
		{Method: "POST", Path: "/api/v1/webhooks", Perm: "webhook.manage", API: true, Handle: s.apiCreateWebhook, Summary: "Subscribe a URL to events; the signing secret is returned once", In: webhookIn{}, Out: webhookCreatedOut{}},
		{Method: "GET", Path: "/api/v1/webhooks/{id}", Perm: "webhook.read", API: true, Handle: s.apiGetWebhook, Summary: "One webhook", Out: webhookOut{}},
		{Method: "PATCH", Path: "/api/v1/webhooks/{id}", Perm: "webhook.manage", API: true, Handle: s.apiUpdateWebhook, Summary: "Change a webhook (If-Match: its ETag)", In: webhookPatchIn{}, Out: webhookOut{}},
		{Method: "DELETE", Path: "/api/v1/webhooks/{id}", Perm: "webhook.manage", API: true, Handle: s.apiDeleteWebhook, Summary: "Delete a webhook (If-Match: its ETag)"},
		{Method: "GET", Path: "/api/v1/webhooks/{id}/deliveries", Perm: "webhook.read", API: true, Handle: s.apiListDeliveries, Summary: "Delivery log of a webhook (?state=&limit=&after=)", Out: listOf[deliveryOut]{}},
		{Method: "POST", Path: "/api/v1/webhook-deliveries/{id}/replay", Perm: "webhook.manage", API: true, Handle: s.apiReplayDelivery, Summary: "Send a delivery's payload again as a new delivery", Out: deliveryOut{}},

		// API: ledger.
		{Method: "GET", Path: "/api/v1/accounts", Perm: "ledger.read", API: true, Handle: s.apiListAccounts, Summary: "Chart of accounts, by code (?q=&type=&blocked=&limit=&after=)", Out: listOf[accountOut]{}},
		{Method: "POST", Path: "/api/v1/accounts", Perm: "ledger.manage", API: true, Handle: s.apiCreateAccount, Summary: "Add an account to the chart (parent by code)", In: accountIn{}, Out: accountOut{}},
		{Method: "GET", Path: "/api/v1/accounts/{id}", Perm: "ledger.read", API: true, Handle: s.apiGetAccount, Summary: "One account", Out: accountOut{}},
		{Method: "PATCH", Path: "/api/v1/accounts/{id}", Perm: "ledger.manage", API: true, Handle: s.apiUpdateAccount, Summary: "Change an account or its balance limits (If-Match: its ETag)", In: accountPatchIn{}, Out: accountOut{}},
		{Method: "DELETE", Path: "/api/v1/accounts/{id}", Perm: "ledger.manage", API: true, Handle: s.apiDeleteAccount, Summary: "Delete an account that has no postings and no sub-accounts"},
		{Method: "POST", Path: "/api/v1/accounts/{id}/block", Perm: "ledger.manage", API: true, Handle: s.apiBlockAccount(true), Summary: "Block an account: it takes no new postings", Out: accountOut{}},
		{Method: "POST", Path: "/api/v1/accounts/{id}/unblock", Perm: "ledger.manage", API: true, Handle: s.apiBlockAccount(false), Summary: "Unblock an account", Out: accountOut{}},
		{Method: "GET", Path: "/api/v1/accounts/{id}/balance", Perm: "ledger.read", API: true, Handle: s.apiAccountBalance, Summary: "Balance at the end of a day (?date=YYYY-MM-DD&currency=; today, company currency by default)", Out: balanceOut{}},
		{Method: "GET", Path: "/api/v1/accounts/{id}/statement", Perm: "ledger.read", API: true, Handle: s.apiAccountStatement, Summary: "Posted lines with running balance (?from=&to=&limit=&after=); ?format=pdf (or Accept: application/pdf) prints the whole report", Out: statementOut{}},
		{Method: "GET", Path: "/api/v1/accounts/{id}/history", Perm: "ledger.read", API: true, Handle: s.apiEntityHistory("account", s.accountExists), Summary: "Change history of an account", Out: listOf[changeOut]{}},
		{Method: "GET", Path: "/api/v1/journals", Perm: "ledger.read", API: true, Handle: s.apiListJournals, Summary: "Journals of the current company", Out: listOf[journalOut]{}},
		{Method: "POST", Path: "/api/v1/journals", Perm: "ledger.manage", API: true, Handle: s.apiCreateJournal, Summary: "Add a journal", In: journalIn{}, Out: journalOut{}},
		{Method: "GET", Path: "/api/v1/entries", Perm: "ledger.read", API: true, Handle: s.apiListEntries, Summary: "Journal entries by date (?journal=CODE&state=&from=&to=&q=&limit=&after=)", Out: listOf[entryOut]{}},
		{Method: "POST", Path: "/api/v1/entries", Perm: "ledger.post", API: true, Handle: s.apiPostEntry, Summary: "Post an entry at once; lines name the account by code or id and give a decimal debit or credit", In: entryIn{}, Out: entryOut{}},
		{Method: "POST", Path: "/api/v1/entries/batch", Perm: "ledger.post", API: true, Upload: true, Handle: s.apiPostBatch, Summary: "Post up to 8,190 entries, all or nothing; errors are named entries[i]...", In: batchIn{}, Out: batchOut{}},
		{Method: "POST", Path: "/api/v1/entries/drafts", Perm: "ledger.post", API: true, Handle: s.apiCreateDraft, Summary: "Save an entry as a draft; it may be unbalanced", In: entryIn{}, Out: entryOut{}},
		{Method: "GET", Path: "/api/v1/entries/{id}", Perm: "ledger.read", API: true, Handle: s.apiGetEntry, Summary: "One entry with its lines", Out: entryOut{}},
		{Method: "PATCH", Path: "/api/v1/entries/{id}", Perm: "ledger.post", API: true, Handle: s.apiUpdateDraft, Summary: "Replace a draft's content (If-Match: its ETag); posted entries never change", In: entryIn{}, Out: entryOut{}},
		{Method: "DELETE", Path: "/api/v1/entries/{id}", Perm: "ledger.post", API: true, Handle: s.apiDeleteDraft, Summary: "Delete a draft; posted entries are reversed instead"},
		{Method: "POST", Path: "/api/v1/entries/{id}/post", Perm: "ledger.post", API: true, Handle: s.apiPostDraft, Summary: "Post a draft: it gets its number and never changes again", Out: entryOut{}},
		{Method: "POST", Path: "/api/v1/entries/{id}/reverse", Perm: "ledger.post", API: true, Handle: s.apiReverseEntry, Summary: "Post the mirror of a posted entry, linked to it", In: reverseIn{}, Out: entryOut{}},
		{Method: "GET", Path: "/api/v1/entries/{id}/history", Perm: "ledger.read", API: true, Handle: s.apiEntityHistory("journal_entry", s.entryExists), Summary: "Change history of an entry", Out: listOf[changeOut]{}},
		{Method: "GET", Path: "/api/v1/reports/trial-balance", Perm: "ledger.read", API: true, Handle: s.apiTrialBalance, Summary: "Trial balance at the end of ?date= (today by default); ?format=csv for account,debit,credit,balance; ?format=pdf (or Accept: application/pdf) prints the whole report", Out: trialBalanceOut{}},
		{Method: "GET", Path: "/api/v1/reports/balance-sheet", Perm: "ledger.read", API: true, Handle: s.apiBalanceSheet, Summary: "Balance sheet at the end of ?date= (today by default), ?compare=previous_period,last_year; ?format=csv; ?format=pdf (or Accept: application/pdf) prints the whole report", Out: balanceSheetOut{}},
		{Method: "GET", Path: "/api/v1/reports/income-statement", Perm: "ledger.read", API: true, Handle: s.apiIncomeStatement, Summary: "Income statement ?from=&to= (the fiscal year to date by default), ?compare=previous_period,last_year,budget; ?format=csv; ?format=pdf (or Accept: application/pdf) prints the whole report", Out: incomeStatementOut{}},
		{Method: "GET", Path: "/api/v1/reports/cash-flow", Perm: "ledger.read", API: true, Handle: s.apiCashFlow, Summary: "Cash-flow statement by the indirect method ?from=&to= (the fiscal year to date by default); ?format=csv; ?format=pdf (or Accept: application/pdf) prints the whole report", Out: cashFlowOut{}},
		{Method: "GET", Path: "/api/v1/reports/general-ledger", Perm: "ledger.read", API: true, Handle: s.apiGeneralLedger, Summary: "Posted lines per account with opening, running and closing balances ?from=&to=&account=CODE,CODE&limit=&after=; ?format=csv for the page; ?format=pdf (or Accept: application/pdf) prints the whole report", Out: generalLedgerOut{}},
		{Method: "GET", Path: "/api/v1/reports/aging", Perm: "ledger.read", API: true, Handle: s.apiAging, Summary: "Aged receivables or payables per party and currency ?kind=receivable|payable&as_of=&buckets=30,60,90&account=&party=; ?format=csv", Out: agingOut{}},
		{Method: "GET", Path: "/api/v1/open-items", Perm: "ledger.read", API: true, Handle: s.apiOpenItems, Summary: "Unsettled lines of receivable and payable accounts ?kind=&account=CODE&party=&as_of=&limit=&after=", Out: listOf[openItemOut]{}},
		{Method: "POST", Path: "/api/v1/reconciliations", Perm: "ledger.post", API: true, Handle: s.apiMatch, Summary: "Settle open items of one account and party against each other (oldest due first; realised exchange differences posted)", In: matchIn{}, Out: reconciliationOut{}},
		{Method: "POST", Path: "/api/v1/reconciliations/{id}/undo", Perm: "ledger.post", API: true, Handle: s.apiUnmatch, Summary: "Undo a reconciliation: its lines are open again (reason required)", In: reasonIn{}},
		{Method: "GET", Path: "/api/v1/fiscal-years", Perm: "ledger.read", API: true, Handle: s.apiFiscalYears, Summary: "Fiscal years, latest first, with their closing state (open, closed, reopened)", Out: listOf[fiscalYearOut]{}},
		{Method: "POST", Path: "/api/v1/fiscal-years/{year}/close", Perm: "ledger.close", API: true, Handle: s.apiYearEnd(false), Summary: "Close an ended fiscal year: income and expenses to retained earnings, books locked to its end; again changes nothing", In: yearReasonIn{}, Out: yearClosingOut{}},
		{Method: "POST", Path: "/api/v1/fiscal-years/{year}/reopen", Perm: "ledger.close", API: true, Handle: s.apiYearEnd(true), Summary: "Reopen a closed fiscal year (reason required): its closing entry is reversed and the lock moved back", In: yearReasonIn{}, Out: yearClosingOut{}},
		{Method: "GET", Path: "/api/v1/lock-dates", Perm: "ledger.read", API: true, Handle: s.apiLockDates, Summary: "Lock dates of the books and of journal types", Out: listOf[lockDateOut]{}},
		{Method: "PUT", Path: "/api/v1/lock-dates", Perm: "ledger.close", API: true, Handle: s.apiSetLockDate, Summary: "Set or clear a lock date; moving it back reopens periods and needs a reason", In: lockDateIn{}, Out: listOf[lockDateOut]{}},
		{Method: "GET", Path: "/api/v1/exchange-rates", Perm: "ledger.read", API: true, Handle: s.apiListRates, Summary: "Exchange rates (company currency per unit), latest first ?currency=&from=&to=&limit=&after=", Out: listOf[rateOut]{}},
		{Method: "PUT", Path: "/api/v1/exchange-rates", Perm: "ledger.manage", API: true, Handle: s.apiSetRates, Summary: "Add or replace rates by currency and day, all or nothing; each change is logged", In: ratesIn{}, Out: listOf[rateOut]{}},
		{Method: "GET", Path: "/api/v1/exchange-rates/on", Perm: "ledger.read", API: true, Handle: s.apiRateOn, Summary: "The rate a posting takes ?currency=&date=: the latest on or before the date", Out: rateOut{}},
		{Method: "POST", Path: "/api/v1/exchange-rates/import", Perm: "ledger.manage", API: true, Upload: true, Handle: s.apiImportRates, Summary: "Import ECB reference rates (eurofxref.csv or eurofxref-hist.csv as a text/csv body; ?dry_run=true to check only); all or nothing, every bad line reported", Out: rateImportOut{}},
		{Method: "GET", Path: "/api/v1/revaluations", Perm: "ledger.read", API: true, Handle: s.apiListRevaluations, Summary: "Posted period-end revaluations, latest first", Out: listOf[revaluationOut]{}},
		// Revaluation posts period-end adjustments with no human-written
		// lines, like the year-end close: it belongs to whoever closes
		// periods (ledger.close), not to everyone who may post entries.
		{Method: "POST", Path: "/api/v1/revaluations", Perm: "ledger.close", API: true, Handle: s.apiRevalue, Summary: "Revalue foreign-currency monetary balances at ?date (dry_run to preview): unrealised gains and losses posted and reversed on the next day; once per date", In: revaluationIn{}, Out: revaluationOut{}},
		{Method: "POST", Path: "/api/v1/entries/pending", Perm: "ledger.post", API: true, Handle: s.apiPostPending, Summary: "Post an entry in two phases: reserved against balance limits and shown as pending, no number yet; timeout_seconds voids it later", In: pendingIn{}, Out: entryOut{}},
		{Method: "POST", Path: "/api/v1/entries/{id}/post-pending", Perm: "ledger.post", API: true, Handle: s.apiPostPendingEntry, Summary: "Post a pending entry: it gets its number and moves the balances", Out: entryOut{}},
		{Method: "POST", Path: "/api/v1/entries/{id}/void", Perm: "ledger.post", API: true, Handle: s.apiVoidPending, Summary: "Void a pending entry (reason required) and release its reservation", In: reasonIn{}, Out: entryOut{}},
		{Method: "GET", Path: "/api/v1/budgets", Perm: "ledger.read", API: true, Handle: s.apiListBudgets, Summary: "Budget lines of the months ?from= to ?to= touch, by month and account", Out: listOf[budgetOut]{}},
		{Method: "PUT", Path: "/api/v1/budgets", Perm: "ledger.manage", API: true, Handle: s.apiSetBudgets, Summary: "Set budget lines (account × optional dimension value × month, action stop|warn|ignore), all or nothing", In: budgetsIn{}, Out: listOf[budgetOut]{}},
		{Method: "DELETE", Path: "/api/v1/budgets/{id}", Perm: "ledger.manage", API: true, Handle: s.apiDeleteBudget, Summary: "Remove a budget line"},
		{Method: "GET", Path: "/api/v1/reports/budget-vs-actual", Perm: "ledger.read", API: true, Handle: s.apiBudgetVsActual, Summary: "Budget against actual per account and dimension value, with variance and per month ?from=&to=; ?format=csv", Out: budgetReportOut{}},
		{Method: "GET", Path: "/api/v1/reports/journal", Perm: "ledger.read", API: true, Handle: s.apiJournalListing, Summary: "Journal listing: a journal's posted entries in number order with their lines ?journal=CODE&from=&to=&limit=&after=; ?format=csv for the page; ?format=pdf (or Accept: application/pdf) prints the whole report", Out: journalListingOut{}},
		{Method: "GET", Path: "/api/v1/reports/consolidated/balance-sheet", Perm: "ledger.read", API: true, Handle: s.apiConsolidatedBalanceSheet, Summary: "Balance sheet of several companies ?companies=A,B&currency=&rate.B=&date=, intercompany accounts eliminated; the caller must read the books of each; ?format=csv", Out: consolidatedBalanceSheetOut{}},
		{Method: "GET", Path: "/api/v1/reports/consolidated/income-statement", Perm: "ledger.read", API: true, Handle: s.apiConsolidatedIncomeStatement, Summary: "Income statement of several companies ?companies=A,B&currency=&rate.B=&from=&to=, intercompany accounts eliminated; ?format=csv", Out: consolidatedIncomeStatementOut{}},
		{Method: "GET", Path: "/api/v1/reports/overview", Perm: "ledger.read", API: true, Handle: s.apiOverview, Summary: "Income, expenses, profit and cash at each month's end for ?months= (12) months ending with ?to=, from the month summaries", Out: overviewOut{}},
		{Method: "GET", Path: "/api/v1/dimensions", Perm: "ledger.read", API: true, Handle: s.apiListDimensions, Summary: "Built-in dimensions and the company's custom ones", Out: dimensionsOut{}},
		{Method: "POST", Path: "/api/v1/dimensions", Perm: "ledger.manage", API: true, Handle: s.apiCreateDimension, Summary: "Define a custom dimension (code in lower snake case, optional list of allowed values)", In: dimensionIn{}, Out: dimensionOut{}},
		{Method: "GET", Path: "/api/v1/dimensions/{id}", Perm: "ledger.read", API: true, Handle: s.apiGetDimension, Summary: "One custom dimension", Out: dimensionOut{}},
		{Method: "PATCH", Path: "/api/v1/dimensions/{id}", Perm: "ledger.manage", API: true, Handle: s.apiUpdateDimension, Summary: "Change a dimension's name, allowed values or active flag (If-Match: its ETag)", In: dimensionIn{}, Out: dimensionOut{}},
		{Method: "GET", Path: "/api/v1/dimensions/{id}/history", Perm: "ledger.read", API: true, Handle: s.apiEntityHistory("dimension", s.dimensionExists), Summary: "Change history of a dimension", Out: listOf[changeOut]{}},
		{Method: "GET", Path: "/api/v1/recurring-entries", Perm: "ledger.read", API: true, Handle: s.apiListRecurring, Summary: "Recurring entry templates by name (?q=&failing=true&limit=&after=)", Out: listOf[recurringOut]{}},
		{Method: "POST", Path: "/api/v1/recurring-entries", Perm: "ledger.manage", API: true, Handle: s.apiCreateRecurring, Summary: "Create a recurring entry: lines as for an entry, monthly|quarterly|yearly on day_of_month, mode post|draft", In: recurringIn{}, Out: recurringOut{}},
		{Method: "POST", Path: "/api/v1/recurring-entries/run-due", Perm: "ledger.post", API: true, Handle: s.apiRunDue, Summary: "Generate every recurring entry and schedule period due on or before ?date (today); each period once, failures reported per template", In: runDueIn{}, Out: runDueOut{}},
		{Method: "GET", Path: "/api/v1/recurring-entries/{id}", Perm: "ledger.read", API: true, Handle: s.apiGetRecurring, Summary: "One recurring entry with its latest generated entries", Out: recurringOut{}},
		{Method: "PATCH", Path: "/api/v1/recurring-entries/{id}", Perm: "ledger.manage", API: true, Handle: s.apiUpdateRecurring, Summary: "Replace a recurring entry (If-Match: its ETag); generated entries stay", In: recurringIn{}, Out: recurringOut{}},
		{Method: "DELETE", Path: "/api/v1/recurring-entries/{id}", Perm: "ledger.manage", API: true, Handle: s.apiDeleteRecurring, Summary: "Delete a recurring entry (If-Match: its ETag); generated entries stay"},
		{Method: "GET", Path: "/api/v1/recurring-entries/{id}/history", Perm: "ledger.read", API: true, Handle: s.apiEntityHistory("recurring_entry", s.recurringExists), Summary: "Change history of a recurring entry, its runs and failures", Out: listOf[changeOut]{}},
		{Method: "GET", Path: "/api/v1/schedules", Perm: "ledger.read", API: true, Handle: s.apiListSchedules, Summary: "Accrual and deferral schedules by name (?q=&kind=&failing=true&limit=&after=)", Out: listOf[scheduleOut]{}},
		{Method: "POST", Path: "/api/v1/schedules", Perm: "ledger.manage", API: true, Handle: s.apiCreateSchedule, Summary: "Create a schedule: total over periods months from start_month, Dr expense / Cr prepaid (deferral) or accrued (accrual) on each month's last day", In: scheduleIn{}, Out: scheduleOut{}},
		{Method: "POST", Path: "/api/v1/schedules/run-due", Perm: "ledger.post", API: true, Handle: s.apiRunDue, Summary: "Generate every schedule period and recurring entry due on or before ?date (today)", In: runDueIn{}, Out: runDueOut{}},
		{Method: "GET", Path: "/api/v1/schedules/{id}", Perm: "ledger.read", API: true, Handle: s.apiGetSchedule, Summary: "One schedule with its period table (date, amount, posted entry or due/future)", Out: scheduleOut{}},
		{Method: "PATCH", Path: "/api/v1/schedules/{id}", Perm: "ledger.manage", API: true, Handle: s.apiUpdateSchedule, Summary: "Change a schedule (If-Match: its ETag); once a period is posted only name, reference and active", In: scheduleIn{}, Out: scheduleOut{}},
		{Method: "DELETE", Path: "/api/v1/schedules/{id}", Perm: "ledger.manage", API: true, Handle: s.apiDeleteSchedule, Summary: "Delete a schedule with no posted period (If-Match: its ETag)"},
		{Method: "GET", Path: "/api/v1/schedules/{id}/history", Perm: "ledger.read", API: true, Handle: s.apiEntityHistory("ledger_schedule", s.scheduleExists), Summary: "Change history of a schedule, its runs and failures", Out: listOf[changeOut]{}},

		// API: bank.
		{Method: "GET", Path: "/api/v1/bank-accounts", Perm: "bank.read", API: true, Handle: s.apiListBankAccounts, Summary: "Bank accounts of the current company by name (?inactive=true to include inactive ones)", Out: listOf[bankAccountOut]{}},
		{Method: "POST", Path: "/api/v1/bank-accounts", Perm: "bank.manage", API: true, Handle: s.apiCreateBankAccount, Summary: "Add a bank account (IBAN or account number) posting to a ledger account of subtype bank or cash", In: bank.NewAccount{}, Out: bankAccountOut{}},
		{Method: "GET", Path: "/api/v1/bank-accounts/{id}", Perm: "bank.read", API: true, Handle: s.apiGetBankAccount, Summary: "One bank account", Out: bankAccountOut{}},
		{Method: "PATCH", Path: "/api/v1/bank-accounts/{id}", Perm: "bank.manage", API: true, Handle: s.apiUpdateBankAccount, Summary: "Change a bank account or set it inactive (If-Match: its ETag)", In: bank.AccountPatch{}, Out: bankAccountOut{}},
		{Method: "GET", Path: "/api/v1/bank-accounts/{id}/statements", Perm: "bank.read", API: true, Handle: s.apiBankStatements, Summary: "Statements of a bank account, latest period first", Out: listOf[bankStatementOut]{}},
		{Method: "GET", Path: "/api/v1/bank-accounts/{id}/history", Perm: "bank.read", API: true, Handle: s.apiEntityHistory("bank_account", s.bankAccountExists), Summary: "Change history of a bank account", Out: listOf[changeOut]{}},
		{Method: "POST", Path: "/api/v1/bank-statements/import", Perm: "bank.manage", API: true, Upload: true, Handle: s.apiImportStatements, Summary: "Import statement files (camt.052/053/054, MT940, OFX, CSV): multipart with one or more files, or one file as the body with ?filename=; ?bank_account=ID&format= optional. Each file imports on its own and is reported", Out: bankImportOut{}},
		{Method: "GET", Path: "/api/v1/bank-statements/{id}", Perm: "bank.read", API: true, Handle: s.apiGetBankStatement, Summary: "One bank statement with a page of its lines by booking date (?limit=&after= page through the lines, ?q= searches counterparty, remittance and references); amounts are decimal strings in the statement's currency", Out: bankStatementDetailOut{}},

		// API: parties.
		{Method: "GET", Path: "/api/v1/parties", Perm: "party.read", API: true, Handle: s.apiListParties, Summary: "Customers and suppliers by legal name (?q=&kind=customer|supplier|both&blocked=true to include blocked and merged ones)", Out: listOf[party.Party]{}},
		{Method: "POST", Path: "/api/v1/parties", Perm: "party.manage", API: true, Handle: s.apiCreateParty, Summary: "Add a customer or supplier; parties it may duplicate (same VAT id, IBAN, similar name) come back as possible_duplicates", In: party.Input{}, Out: partyCreatedOut{}},
		{Method: "GET", Path: "/api/v1/parties/duplicates", Perm: "party.read", API: true, Handle: s.apiPartyDuplicates, Summary: "Groups of parties that may be the same (same VAT id, IBAN or a similar name)", Out: listOf[party.DuplicateGroup]{}},
		{Method: "POST", Path: "/api/v1/parties/import", Perm: "party.manage", API: true, Upload: true, Handle: s.apiImportParties, Summary: "Import parties from CSV (text/csv body; ?dry_run=true to check only); all or nothing, every bad row reported", Out: importOut{}},
		{Method: "GET", Path: "/api/v1/parties/export", Perm: "party.read", API: true, Handle: s.apiExportParties, Summary: "Parties of the current company as CSV, in the import format"},
		{Method: "GET", Path: "/api/v1/parties/{id}", Perm: "party.read", API: true, Handle: s.apiGetParty, Summary: "One party with its contacts and bank accounts", Out: party.Party{}},
		{Method: "PATCH", Path: "/api/v1/parties/{id}", Perm: "party.manage", API: true, Handle: s.apiUpdateParty, Summary: "Change the fields the body names (If-Match: its ETag); contacts and bank accounts are replaced whole", In: party.Input{}, Out: party.Party{}},
		{Method: "GET", Path: "/api/v1/parties/{id}/history", Perm: "party.read", API: true, Handle: s.apiEntityHistory("party", s.partyExists), Summary: "Change history of a party", Out: listOf[changeOut]{}},
		{Method: "POST", Path: "/api/v1/parties/{id}/merge", Perm: "party.manage", API: true, Handle: s.apiMergeParty, Summary: "Merge party merge_id into {id} (reason required): its contacts and bank accounts move over and it is closed", In: partyMergeIn{}, Out: party.MergeResult{}},

		// API: invoicing — tax codes, products, and documents (invoices, credit notes, bills, refunds).
		{Method: "GET", Path: "/api/v1/tax-codes", Perm: "invoice.read", API: true, Handle: s.apiListTaxCodes, Summary: "Tax codes by code (?inactive=true to include inactive ones); rates are decimal percentages (\"19\", \"7.7\")", Out: listOf[invoice.TaxCode]{}},
		{Method: "POST", Path: "/api/v1/tax-codes", Perm: "invoice.manage", API: true, Handle: s.apiCreateTaxCode, Summary: "Add a tax code: rate, type (vat, sales_tax, withholding), EN 16931 category with exemption reason, collected and deductible accounts", In: invoice.TaxCodeInput{}, Out: invoice.TaxCode{}},
		{Method: "GET", Path: "/api/v1/tax-codes/{id}", Perm: "invoice.read", API: true, Handle: s.apiGetTaxCode, Summary: "One tax code", Out: invoice.TaxCode{}},
		{Method: "PATCH", Path: "/api/v1/tax-codes/{id}", Perm: "invoice.manage", API: true, Handle: s.apiUpdateTaxCode, Summary: "Change the fields the body names (If-Match: its ETag); the code itself stays, posted documents keep their rates", In: invoice.TaxCodeInput{}, Out: invoice.TaxCode{}},
		{Method: "GET", Path: "/api/v1/tax-codes/{id}/history", Perm: "invoice.read", API: true, Handle: s.apiEntityHistory("tax_code", s.taxCodeExists), Summary: "Change history of a tax code", Out: listOf[changeOut]{}},
		{Method: "GET", Path: "/api/v1/invoice-settings", Perm: "invoice.read", API: true, Handle: s.apiGetInvoiceSettings, Summary: "The company's invoicing settings: tax rounding per line or per document", Out: invoice.Settings{}},
		{Method: "PATCH", Path: "/api/v1/invoice-settings", Perm: "invoice.manage", API: true, Handle: s.apiUpdateInvoiceSettings, Summary: "Set tax rounding (rounding: line or document) for documents saved from now on", In: invoice.Settings{}, Out: invoice.Settings{}},
		{Method: "GET", Path: "/api/v1/products", Perm: "invoice.read", API: true, Handle: s.apiListProducts, Summary: "Products and services by code (?q=&inactive=true&limit=&after=); unit_price in minor units", Out: listOf[invoice.Product]{}},
		{Method: "POST", Path: "/api/v1/products", Perm: "invoice.manage", API: true, Handle: s.apiCreateProduct, Summary: "Add a product or service: UN/ECE Rec 20 unit, price in minor units, default tax code, income and expense accounts", In: invoice.ProductInput{}, Out: invoice.Product{}},
		{Method: "GET", Path: "/api/v1/products/{id}", Perm: "invoice.read", API: true, Handle: s.apiGetProduct, Summary: "One product or service", Out: invoice.Product{}},
		{Method: "PATCH", Path: "/api/v1/products/{id}", Perm: "invoice.manage", API: true, Handle: s.apiUpdateProduct, Summary: "Change the fields the body names (If-Match: its ETag)", In: invoice.ProductInput{}, Out: invoice.Product{}},
		{Method: "GET", Path: "/api/v1/products/{id}/history", Perm: "invoice.read", API: true, Handle: s.apiEntityHistory("product", s.productExists), Summary: "Change history of a product", Out: listOf[changeOut]{}},
		{Method: "GET", Path: "/api/v1/invoices", Perm: "invoice.read", API: true, Handle: s.apiListDocuments, Summary: "Invoices, credit notes, bills and refunds, newest first (?kind=&state=draft|posted|cancelled&party=ID&from=&to=&q=&limit=&after=); amounts in minor units", Out: listOf[invoice.Document]{}},
		{Method: "POST", Path: "/api/v1/invoices", Perm: "invoice.manage", API: true, Handle: s.apiCreateDocument, Summary: "Create a draft (kind invoice, credit_note, bill or refund); totals and tax breakdown per EN 16931; a possible duplicate bill is a 409 unless duplicate_reason is given", In: invoice.Input{}, Out: invoice.Document{}},
		{Method: "POST", Path: "/api/v1/invoices/preview", Perm: "invoice.manage", API: true, Handle: s.apiPreviewDocument, Summary: "What a draft would be, defaults and totals resolved, without storing it", In: invoice.Input{}, Out: invoice.Document{}},
		{Method: "GET", Path: "/api/v1/invoices/{id}", Perm: "invoice.read", API: true, Handle: s.apiGetDocument, Summary: "One document with its lines, allowances, tax breakdown, installments and ledger entry id", Out: invoice.Document{}},
		{Method: "PATCH", Path: "/api/v1/invoices/{id}", Perm: "invoice.manage", API: true, Handle: s.apiUpdateDocument, Summary: "Change a draft's fields the body names (If-Match: its ETag); lines, allowances and installments are replaced whole", In: invoice.Input{}, Out: invoice.Document{}},
		{Method: "DELETE", Path: "/api/v1/invoices/{id}", Perm: "invoice.manage", API: true, Handle: s.apiDeleteDocument, Summary: "Delete a draft; posted documents are cancelled instead"},
		{Method: "POST", Path: "/api/v1/invoices/{id}/post", Perm: "invoice.post", API: true, Handle: s.apiPostDocument, Summary: "Post a draft: gapless number (INV-2026-00001) and its ledger entry in one transaction; duplicate_reason overrides the duplicate-bill check", In: invoice.PostOptions{}, Out: invoice.Document{}},
		{Method: "POST", Path: "/api/v1/invoices/{id}/cancel", Perm: "invoice.post", API: true, Handle: s.apiCancelDocument, Summary: "Cancel a posted invoice or bill (reason required): a credit note or refund for what remains is created and posted; answers the credit", In: invoice.CancelInput{}, Out: invoice.Document{}},
		{Method: "GET", Path: "/api/v1/invoices/{id}/duplicates", Perm: "invoice.read", API: true, Handle: s.apiDocumentDuplicates, Summary: "Bills this bill may duplicate (same supplier and reference, or same supplier, amount and date)", Out: listOf[invoice.DuplicateBill]{}},
		{Method: "GET", Path: "/api/v1/invoices/{id}/history", Perm: "invoice.read", API: true, Handle: s.apiEntityHistory("invoice_document", s.documentExists), Summary: "Change history of a document", Out: listOf[changeOut]{}},

		// API: the change stream.
		{Method: "GET", Path: "/api/v1/changes", Perm: "audit.read", API: true, Handle: s.apiChanges, Summary: "The change log after a sequence number (?after=SEQ&limit=N), for integrations", Out: listOf[changeOut]{}},

		// Browser: signing in and the caller's own account.
		{Method: "GET", Path: "/login", Perm: PermPublic, Handle: s.loginPage},
		{Method: "POST", Path: "/login", Perm: PermPublic, Handle: s.loginSubmit},
		{Method: "GET", Path: "/login/totp", Perm: PermPublic, Handle: s.totpPage},
		{Method: "POST", Path: "/login/totp", Perm: PermPublic, Handle: s.totpSubmit},
		{Method: "POST", Path: "/logout", Perm: PermPublic, Handle: s.logout},
		{Method: "GET", Path: "/account", Perm: PermSignedIn, DuringEnrolment: true, Handle: s.accountPage},
		{Method: "POST", Path: "/account/password", Perm: PermSignedIn, DuringEnrolment: true, Handle: s.accountPassword},
		{Method: "POST", Path: "/account/totp", Perm: PermSignedIn, DuringEnrolment: true, Handle: s.accountTOTPBegin},
		{Method: "POST", Path: "/account/totp/confirm", Perm: PermSignedIn, DuringEnrolment: true, Handle: s.accountTOTPConfirm},
		{Method: "POST", Path: "/company", Perm: PermSignedIn, Handle: s.switchCompany},

		// Browser: pages.
		{Method: "GET", Path: "/{$}", Perm: PermSignedIn, Handle: s.home},
		{Method: "GET", Path: "/users", Perm: "user.read", Handle: s.usersList},
		{Method: "GET", Path: "/users/new", Perm: "user.manage", Handle: s.userNew},
		{Method: "POST", Path: "/users", Perm: "user.manage", Handle: s.userCreate},
		{Method: "GET", Path: "/users/import", Perm: "user.manage", Handle: s.usersImportForm},
		{Method: "POST", Path: "/users/import", Perm: "user.manage", Upload: true, Handle: s.usersImport},
		{Method: "GET", Path: "/users/{id}", Perm: "user.read", Handle: s.userShow},
		{Method: "POST", Path: "/users/{id}", Perm: "user.manage", Handle: s.userUpdate},
		{Method: "POST", Path: "/users/{id}/disable", Perm: "user.manage", Handle: s.userAction("disable")},
		{Method: "POST", Path: "/users/{id}/enable", Perm: "user.manage", Handle: s.userAction("enable")},
		{Method: "POST", Path: "/users/{id}/reset-password", Perm: "user.manage", Handle: s.userAction("reset-password")},
		{Method: "POST", Path: "/users/{id}/reset-totp", Perm: "user.manage", Handle: s.userAction("reset-totp")},
		{Method: "GET", Path: "/roles", Perm: "role.read", Handle: s.rolesList},
		{Method: "GET", Path: "/roles/new", Perm: "role.manage", Handle: s.roleNew},
		{Method: "POST", Path: "/roles", Perm: "role.manage", Handle: s.roleCreate},
		{Method: "GET", Path: "/roles/{id}", Perm: "role.read", Handle: s.roleShow},
		{Method: "POST", Path: "/roles/{id}", Perm: "role.manage", Handle: s.roleUpdate},
		{Method: "POST", Path: "/roles/{id}/delete", Perm: "role.manage", Handle: s.roleDelete},
		{Method: "GET", Path: "/companies", Perm: "company.read", Handle: s.companiesList},
		{Method: "GET", Path: "/companies/new", Perm: "company.manage", Handle: s.companyNew},
		{Method: "POST", Path: "/companies", Perm: "company.manage", Handle: s.companyCreate},
		{Method: "GET", Path: "/companies/{id}", Perm: "company.read", Handle: s.companyShow},
		{Method: "POST", Path: "/companies/{id}", Perm: "company.manage", Handle: s.companyUpdate},
		{Method: "POST", Path: "/companies/{id}/members", Perm: "user.manage", Handle: s.memberAdd},
		{Method: "POST", Path: "/companies/{id}/members/{user}", Perm: "user.manage", Handle: s.memberSetRole},
		{Method: "POST", Path: "/companies/{id}/members/{user}/remove", Perm: "user.manage", Handle: s.memberRemove},
		{Method: "GET", Path: "/tokens", Perm: "token.read", Handle: s.tokensList},
		{Method: "POST", Path: "/tokens", Perm: "token.manage", SessionOnly: true, Handle: s.tokenCreate},
		{Method: "POST", Path: "/tokens/{id}/revoke", Perm: "token.manage", Handle: s.tokenRevoke},
		{Method: "GET", Path: "/webhooks", Perm: "webhook.read", Handle: s.webhooksList},
		{Method: "GET", Path: "/webhooks/new", Perm: "webhook.manage", Handle: s.webhookNew},
		{Method: "POST", Path: "/webhooks", Perm: "webhook.manage", Handle: s.webhookCreate},
		{Method: "GET", Path: "/webhooks/{id}", Perm: "webhook.read", Handle: s.webhookShow},
		{Method: "POST", Path: "/webhooks/{id}", Perm: "webhook.manage", Handle: s.webhookUpdate},
		{Method: "POST", Path: "/webhooks/{id}/rotate-secret", Perm: "webhook.manage", Handle: s.webhookRotate},
		{Method: "POST", Path: "/webhooks/{id}/delete", Perm: "webhook.manage", Handle: s.webhookDelete},
		{Method: "GET", Path: "/webhooks/{id}/deliveries/{delivery}", Perm: "webhook.read", Handle: s.deliveryShow},
		{Method: "POST", Path: "/webhooks/{id}/deliveries/{delivery}/replay", Perm: "webhook.manage", Handle: s.deliveryReplay},
		{Method: "GET", Path: "/changes", Perm: "audit.read", Handle: s.changesList},
		{Method: "GET", Path: "/changes/{seq}", Perm: "audit.read", Handle: s.changeShow},

		// Browser: ledger.
		{Method: "GET", Path: "/ledger/accounts", Perm: "ledger.read", Handle: s.ledgerAccountsList},
		{Method: "GET", Path: "/ledger/accounts/new", Perm: "ledger.manage", Handle: s.ledgerAccountNew},
		{Method: "POST", Path: "/ledger/accounts", Perm: "ledger.manage", Handle: s.ledgerAccountCreate},
		{Method: "GET", Path: "/ledger/accounts/{id}", Perm: "ledger.read", Handle: s.ledgerAccountShow},
		{Method: "POST", Path: "/ledger/accounts/{id}", Perm: "ledger.manage", Handle: s.ledgerAccountUpdate},
		{Method: "POST", Path: "/ledger/accounts/{id}/block", Perm: "ledger.manage", Handle: s.ledgerAccountBlock(true)},
		{Method: "POST", Path: "/ledger/accounts/{id}/unblock", Perm: "ledger.manage", Handle: s.ledgerAccountBlock(false)},
		{Method: "GET", Path: "/ledger/entries", Perm: "ledger.read", Handle: s.ledgerEntriesList},
		{Method: "GET", Path: "/ledger/entries/new", Perm: "ledger.post", Handle: s.ledgerEntryNew},
		{Method: "POST", Path: "/ledger/entries", Perm: "ledger.post", Handle: s.ledgerEntryCreate},
		{Method: "GET", Path: "/ledger/entries/{id}", Perm: "ledger.read", Handle: s.ledgerEntryShow},
		{Method: "GET", Path: "/ledger/entries/{id}/edit", Perm: "ledger.post", Handle: s.ledgerEntryEdit},
		{Method: "POST", Path: "/ledger/entries/{id}", Perm: "ledger.post", Handle: s.ledgerEntryUpdate},
		{Method: "POST", Path: "/ledger/entries/{id}/post", Perm: "ledger.post", Handle: s.ledgerEntryPost},
		{Method: "POST", Path: "/ledger/entries/{id}/reverse", Perm: "ledger.post", Handle: s.ledgerEntryReverse},
		{Method: "POST", Path: "/ledger/entries/{id}/delete", Perm: "ledger.post", Handle: s.ledgerEntryDelete},
		{Method: "GET", Path: "/ledger/recurring", Perm: "ledger.read", Handle: s.ledgerRecurringList},
		{Method: "GET", Path: "/ledger/recurring/new", Perm: "ledger.manage", Handle: s.ledgerRecurringNew},
		{Method: "POST", Path: "/ledger/recurring", Perm: "ledger.manage", Handle: s.ledgerRecurringCreate},
		{Method: "POST", Path: "/ledger/recurring/run-due", Perm: "ledger.post", Handle: s.ledgerRunDue},
		{Method: "GET", Path: "/ledger/recurring/{id}", Perm: "ledger.read", Handle: s.ledgerRecurringShow},
		{Method: "GET", Path: "/ledger/recurring/{id}/edit", Perm: "ledger.manage", Handle: s.ledgerRecurringEdit},
		{Method: "POST", Path: "/ledger/recurring/{id}", Perm: "ledger.manage", Handle: s.ledgerRecurringUpdate},
		{Method: "POST", Path: "/ledger/recurring/{id}/delete", Perm: "ledger.manage", Handle: s.ledgerRecurringDelete},
		{Method: "GET", Path: "/ledger/schedules", Perm: "ledger.read", Handle: s.ledgerSchedulesList},
		{Method: "GET", Path: "/ledger/schedules/new", Perm: "ledger.manage", Handle: s.ledgerScheduleNew},
		{Method: "POST", Path: "/ledger/schedules", Perm: "ledger.manage", Handle: s.ledgerScheduleCreate},
		{Method: "GET", Path: "/ledger/schedules/{id}", Perm: "ledger.read", Handle: s.ledgerScheduleShow},
		{Method: "GET", Path: "/ledger/schedules/{id}/edit", Perm: "ledger.manage", Handle: s.ledgerScheduleEdit},
		{Method: "POST", Path: "/ledger/schedules/{id}", Perm: "ledger.manage", Handle: s.ledgerScheduleUpdate},
		{Method: "POST", Path: "/ledger/schedules/{id}/delete", Perm: "ledger.manage", Handle: s.ledgerScheduleDelete},
		{Method: "GET", Path: "/ledger/trial-balance", Perm: "ledger.read", Handle: s.ledgerTrialBalance},
		{Method: "GET", Path: "/ledger/reports/balance-sheet", Perm: "ledger.read", Handle: s.ledgerBalanceSheet},
		{Method: "GET", Path: "/ledger/reports/income-statement", Perm: "ledger.read", Handle: s.ledgerIncomeStatement},
		{Method: "GET", Path: "/ledger/reports/cash-flow", Perm: "ledger.read", Handle: s.ledgerCashFlow},
		{Method: "GET", Path: "/ledger/reports/general-ledger", Perm: "ledger.read", Handle: s.ledgerGeneralLedger},
		{Method: "GET", Path: "/ledger/reports/aging", Perm: "ledger.read", Handle: s.ledgerAging},
		{Method: "GET", Path: "/ledger/open-items", Perm: "ledger.read", Handle: s.ledgerOpenItems},
		{Method: "POST", Path: "/ledger/open-items/match", Perm: "ledger.post", Handle: s.ledgerMatchOpenItems},
		{Method: "GET", Path: "/ledger/close", Perm: "ledger.close", Handle: s.ledgerYearEnd},
		{Method: "POST", Path: "/ledger/close/{year}", Perm: "ledger.close", Handle: s.ledgerYearEndSet(false)},
		{Method: "POST", Path: "/ledger/close/{year}/reopen", Perm: "ledger.close", Handle: s.ledgerYearEndSet(true)},
		{Method: "GET", Path: "/ledger/lock-dates", Perm: "ledger.read", Handle: s.ledgerLockDates},
		{Method: "POST", Path: "/ledger/lock-dates", Perm: "ledger.close", Handle: s.ledgerLockDateSet},
		{Method: "GET", Path: "/ledger/exchange-rates", Perm: "ledger.read", Handle: s.ledgerRates},
		{Method: "POST", Path: "/ledger/exchange-rates", Perm: "ledger.manage", Handle: s.ledgerRateSet},
		{Method: "POST", Path: "/ledger/exchange-rates/import", Perm: "ledger.manage", Upload: true, Handle: s.ledgerRatesImport},
		{Method: "GET", Path: "/ledger/revaluations", Perm: "ledger.read", Handle: s.ledgerRevaluation},
		{Method: "POST", Path: "/ledger/revaluations", Perm: "ledger.close", Handle: s.ledgerRevalue},
		{Method: "GET", Path: "/ledger/overview", Perm: "ledger.read", Handle: s.ledgerOverview},
		{Method: "GET", Path: "/ledger/budgets", Perm: "ledger.read", Handle: s.ledgerBudgets},
		{Method: "POST", Path: "/ledger/budgets", Perm: "ledger.manage", Handle: s.ledgerBudgetSet},
		{Method: "POST", Path: "/ledger/budgets/{id}/delete", Perm: "ledger.manage", Handle: s.ledgerBudgetDelete},
		{Method: "GET", Path: "/ledger/dimensions", Perm: "ledger.read", Handle: s.ledgerDimensions},
		{Method: "POST", Path: "/ledger/dimensions", Perm: "ledger.manage", Handle: s.ledgerDimensionCreate},
		{Method: "GET", Path: "/ledger/dimensions/{id}", Perm: "ledger.read", Handle: s.ledgerDimensionShow},
		{Method: "POST", Path: "/ledger/dimensions/{id}", Perm: "ledger.manage", Handle: s.ledgerDimensionUpdate},

		// Browser: bank.
		{Method: "GET", Path: "/bank/accounts", Perm: "bank.read", Handle: s.bankAccountsList},
		{Method: "GET", Path: "/bank/accounts/new", Perm: "bank.manage", Handle: s.bankAccountNew},
		{Method: "POST", Path: "/bank/accounts", Perm: "bank.manage", Handle: s.bankAccountCreate},
		{Method: "GET", Path: "/bank/accounts/{id}", Perm: "bank.read", Handle: s.bankAccountShow},
		{Method: "POST", Path: "/bank/accounts/{id}", Perm: "bank.manage", Handle: s.bankAccountUpdate},
		{Method: "GET", Path: "/bank/import", Perm: "bank.manage", Handle: s.bankImportForm},
		{Method: "POST", Path: "/bank/import", Perm: "bank.manage", Upload: true, Handle: s.bankImport},

		// Browser: parties.
		{Method: "GET", Path: "/parties", Perm: "party.read", Handle: s.partiesList},
		{Method: "GET", Path: "/parties/new", Perm: "party.manage", Handle: s.partyNew},
		{Method: "POST", Path: "/parties", Perm: "party.manage", Handle: s.partyCreate},
		{Method: "GET", Path: "/parties/duplicates", Perm: "party.read", Handle: s.partyDuplicates},
		{Method: "POST", Path: "/parties/duplicates/merge", Perm: "party.manage", Handle: s.partyMerge},
		{Method: "GET", Path: "/parties/import", Perm: "party.manage", Handle: s.partyImportForm},
		{Method: "POST", Path: "/parties/import", Perm: "party.manage", Upload: true, Handle: s.partyImport},
		{Method: "GET", Path: "/parties/{id}", Perm: "party.read", Handle: s.partyShow},
		{Method: "POST", Path: "/parties/{id}", Perm: "party.manage", Handle: s.partyUpdate},
		{Method: "GET", Path: "/bank/statements/{id}", Perm: "bank.read", Handle: s.bankStatementShow},
	}
}
