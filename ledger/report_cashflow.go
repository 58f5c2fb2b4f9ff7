package ledger

import (
	"context"

	"backoffice"
)

// CashFlowRow is one line of the cash-flow statement: an account's effect
// on cash over the period (its credit − debit movement), or the period's
// profit (AccountID 0). Class is profit, non_cash, working_capital,
// investing or financing.
type CashFlowRow struct {
	Class     string        `json:"class"`
	AccountID backoffice.ID `json:"account_id,omitempty"`
	Code      string        `json:"code,omitempty"`
	Name      string        `json:"name"`
	Amount    int64         `json:"amount"`
}

// CashFlowSection is operating, investing or financing activity.
type CashFlowSection struct {
	Key   string        `json:"key"`
	Label string        `json:"label"`
	Rows  []CashFlowRow `json:"rows"`
	Total int64         `json:"total"`
}

// CashFlow is the cash-flow statement of a period by the indirect method.
// NetChange, the sum of the three sections, equals CashChange, the
// movement of the cash and bank accounts; Balanced says so.
type CashFlow struct {
	CompanyID   backoffice.ID       `json:"company_id"`
	Currency    backoffice.Currency `json:"currency"`
	From        backoffice.Date     `json:"from"`
	To          backoffice.Date     `json:"to"`
	Profit      int64               `json:"profit"`
	Operating   CashFlowSection     `json:"operating"`
	Investing   CashFlowSection     `json:"investing"`
	Financing   CashFlowSection     `json:"financing"`
	NetChange   int64               `json:"net_change"`
	CashOpening int64               `json:"cash_opening"`
	CashClosing int64               `json:"cash_closing"`
	CashChange  int64               `json:"cash_change"`
	Balanced    bool                `json:"balanced"`
}

// cashFlowClass places an account in the statement by type and subtype:
// cash and bank accounts are the cash; income and expenses make the
// profit; accumulated depreciation is the non-cash adjustment (the
// depreciation expense is in the profit, its other side adds back);
// fixed assets are investing; equity and liabilities other than payables,
// tax, payroll and accruals (loans, long-term liabilities: subtype other)
// are financing; every other asset or liability is working capital.
func cashFlowClass(a Account) string {
	switch {
	case a.Type == Income || a.Type == Expense:
		return "profit"
	case a.Type == Equity:
		return "financing"
	case a.Type == Asset && (a.Subtype == "cash" || a.Subtype == "bank"):
		return "cash"
	case a.Type == Asset && a.Subtype == "fixed_asset":
		return "investing"
	case a.Type == Asset && a.Subtype == "accumulated_depreciation":
		return "non_cash"
	case a.Type == Liability && a.Subtype != "payable" && a.Subtype != "tax" && a.Subtype != "payroll" && a.Subtype != "accrual":
		return "financing"
	}
	return "working_capital"
}

// CashFlow reports the company's cash flows from from to to by the
// indirect method: profit, non-cash adjustments, changes in working
// capital, investing and financing. It reads one movement per account
// (at most 82 summary rows each plus the years, see rangesBetween; closing entries left
// out) and the cash balances at both ends.
func (s *Service) CashFlow(ctx context.Context, companyID backoffice.ID, from, to backoffice.Date) (CashFlow, error) {
	if err := checkPeriod(from, to); err != nil {
		return CashFlow{}, err
	}
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return CashFlow{}, err
	}
	accounts, err := chart(ctx, s.DB, companyID)
	if err != nil {
		return CashFlow{}, err
	}
	moved, err := movements(ctx, s.DB, companyID, from, to)
	if err != nil {
		return CashFlow{}, err
	}
	opening, err := balancesAt(ctx, s.DB, companyID, from.AddDays(-1))
	if err != nil {
		return CashFlow{}, err
	}
	closing, err := balancesAt(ctx, s.DB, companyID, to)
	if err != nil {
		return CashFlow{}, err
	}
	cf := CashFlow{CompanyID: companyID, Currency: base, From: from, To: to,
		Operating: CashFlowSection{Key: "operating", Label: "Operating activities"},
		Investing: CashFlowSection{Key: "investing", Label: "Investing activities", Rows: []CashFlowRow{}},
		Financing: CashFlowSection{Key: "financing", Label: "Financing activities", Rows: []CashFlowRow{}}}
	adjustments, capital := cf.place(accounts, moved, opening, closing)
	cf.Operating.Rows = append([]CashFlowRow{{Class: "profit", Name: "Profit for the period", Amount: cf.Profit}}, append(adjustments, capital...)...)
	for _, sec := range []*CashFlowSection{&cf.Operating, &cf.Investing, &cf.Financing} {
		for _, r := range sec.Rows {
			sec.Total += r.Amount
		}
		cf.NetChange += sec.Total
	}
	cf.CashChange = cf.CashClosing - cf.CashOpening
	cf.Balanced = cf.NetChange == cf.CashChange
	return cf, nil
}

// place adds each account to the cash balances, the profit or a section
// row, and returns the operating rows after the profit: non-cash
// adjustments and working capital changes, in code order.
func (cf *CashFlow) place(accounts []Account, moved, opening, closing map[backoffice.ID]int64) (adjustments, capital []CashFlowRow) {
	for _, a := range accounts { // in code order
		class := cashFlowClass(a)
		switch class {
		case "cash":
			cf.CashOpening += opening[a.ID]
			cf.CashClosing += closing[a.ID]
			continue
		case "profit":
			cf.Profit -= moved[a.ID]
			continue
		}
		if moved[a.ID] == 0 {
			continue
		}
		r := CashFlowRow{Class: class, AccountID: a.ID, Code: a.Code, Name: a.Name, Amount: -moved[a.ID]}
		switch class {
		case "non_cash":
			adjustments = append(adjustments, r)
		case "working_capital":
			capital = append(capital, r)
		case "investing":
			cf.Investing.Rows = append(cf.Investing.Rows, r)
		default:
			cf.Financing.Rows = append(cf.Financing.Rows, r)
		}
	}
	return adjustments, capital
}
