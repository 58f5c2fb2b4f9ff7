package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"backoffice"
	"backoffice/sqldb"
)

// GeneralLedgerFilter chooses the period and accounts of GeneralLedger.
type GeneralLedgerFilter struct {
	From       backoffice.Date `json:"from"`
	To         backoffice.Date `json:"to"`
	AccountIDs []backoffice.ID `json:"account_ids,omitempty"` // none = every account with postings in the period
	Page       backoffice.Page `json:"-"`
}

// GeneralLedgerAccount is one account's part of a general ledger page: its
// balance before the period and at its end, in company currency, and its
// lines on this page with the running balance after each. Continued says
// its lines began on an earlier page (Opening is still the period's).
type GeneralLedgerAccount struct {
	AccountID backoffice.ID   `json:"account_id"`
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Opening   int64           `json:"opening"`
	Closing   int64           `json:"closing"`
	Continued bool            `json:"continued"`
	Lines     []StatementLine `json:"lines"`
}

// GeneralLedger is one page of the general ledger detail: accounts in code
// order, each with its lines in date order.
type GeneralLedger struct {
	CompanyID backoffice.ID          `json:"company_id"`
	Currency  backoffice.Currency    `json:"currency"`
	From      backoffice.Date        `json:"from"`
	To        backoffice.Date        `json:"to"`
	Accounts  []GeneralLedgerAccount `json:"accounts"`
	Next      string                 `json:"next,omitempty"`
}

// glPos is where a general ledger page continues: inside an account after
// a line with the running balance there, or (Fresh) at an account's start.
type glPos struct {
	Account backoffice.ID `json:"a"`
	Fresh   bool          `json:"f,omitempty"`
	statementPos
}

// GeneralLedger returns one page of posted lines per account from f.From
// to f.To with opening, closing and running balances, f.Page.Limit lines a
// page. Which accounts moved comes from the summaries (see rangesBetween
// for the cost), openings and closings from two summary reads for the
// company; the lines are read by keyset through the (account, date, entry,
// line) index, so no page sums or skips the lines before it.
func (s *Service) GeneralLedger(ctx context.Context, companyID backoffice.ID, f GeneralLedgerFilter) (GeneralLedger, error) {
	if err := checkPeriod(f.From, f.To); err != nil {
		return GeneralLedger{}, err
	}
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return GeneralLedger{}, err
	}
	accounts, err := movedAccounts(ctx, s.DB, companyID, f)
	if err != nil {
		return GeneralLedger{}, err
	}
	gl := GeneralLedger{CompanyID: companyID, Currency: base, From: f.From, To: f.To, Accounts: []GeneralLedgerAccount{}}
	pos := glPos{Fresh: true}
	start := 0
	if f.Page.After != "" {
		pos.Fresh = false // a cursor omits a false Fresh
		if err := decodeCursor(f.Page.After, "general_ledger", &pos); err != nil {
			return GeneralLedger{}, err
		}
		start = slices.IndexFunc(accounts, func(a Account) bool { return a.ID == pos.Account })
		if start < 0 {
			return GeneralLedger{}, fieldError("after", "is not a cursor of this general ledger")
		}
	}
	opening, err := balancesAt(ctx, s.DB, companyID, f.From.AddDays(-1))
	if err != nil {
		return GeneralLedger{}, err
	}
	closing, err := balancesAt(ctx, s.DB, companyID, f.To)
	if err != nil {
		return GeneralLedger{}, err
	}
	left := limitOf(f.Page)
	for i := start; i < len(accounts) && left > 0; i++ {
		a := accounts[i]
		p := pos.statementPos
		if i > start || pos.Fresh {
			p = statementPos{Date: f.From, Balance: opening[a.ID]}
		}
		st := Statement{Account: a, Lines: []StatementLine{}}
		if err := statementLines(ctx, s.DB, &st, p, f.To, left); err != nil {
			return GeneralLedger{}, err
		}
		gl.Accounts = append(gl.Accounts, GeneralLedgerAccount{AccountID: a.ID, Code: a.Code, Name: a.Name,
			Opening: opening[a.ID], Closing: closing[a.ID], Continued: i == start && !pos.Fresh, Lines: st.Lines})
		left -= len(st.Lines)
		switch {
		case st.Next != "":
			last := st.Lines[len(st.Lines)-1]
			gl.Next = encodeCursor("general_ledger", glPos{Account: a.ID,
				statementPos: statementPos{Date: last.Date, Entry: last.EntryID, Line: last.LineNo, Balance: last.Balance}})
		case left == 0 && i+1 < len(accounts):
			gl.Next = encodeCursor("general_ledger", glPos{Account: accounts[i+1].ID, Fresh: true})
		}
	}
	return gl, nil
}

// movedAccounts lists, in code order, the accounts with posted lines in
// the period (only those of f.AccountIDs when given).
func movedAccounts(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, f GeneralLedgerFilter) ([]Account, error) {
	union, args := summaryUnion(`account_id, lines`, `company_id = ?`, []any{int64(companyID)}, rangesBetween(f.From, f.To))
	rows, err := q.QueryContext(ctx, `SELECT account_id FROM (`+union+`) r GROUP BY account_id HAVING SUM(lines) > 0`, args...)
	if err != nil {
		return nil, fmt.Errorf("read accounts with postings: %w", err)
	}
	moved := map[backoffice.ID]bool{}
	for rows.Next() {
		var id backoffice.ID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read accounts with postings: %w", err)
		}
		moved[id] = len(f.AccountIDs) == 0 || slices.Contains(f.AccountIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read accounts with postings: %w", err)
	}
	all, err := chart(ctx, q, companyID)
	if err != nil {
		return nil, err
	}
	var out []Account
	for _, a := range all {
		if moved[a.ID] {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b Account) int { return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}
