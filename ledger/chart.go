package ledger

// DefaultChart is a generic chart of accounts of our own for a small or
// medium company: numbered by class (1 assets, 2 liabilities, 3 equity,
// 4 income, 5–7 expenses), with headers as parents and the subtypes other
// domains look for (receivable, payable, bank, cash, tax, retained earnings).
func DefaultChart() []NewAccount {
	a := func(code, name string, t AccountType, subtype, parent string) NewAccount {
		return NewAccount{Code: code, Name: name, Type: t, Subtype: subtype, Parent: parent}
	}
	chart := []NewAccount{
		a("1000", "Current assets", Asset, "other", ""),
		a("1010", "Cash on hand", Asset, "cash", "1000"),
		a("1020", "Petty cash", Asset, "cash", "1000"),
		a("1100", "Bank accounts", Asset, "bank", "1000"),
		a("1110", "Main bank account", Asset, "bank", "1100"),
		a("1120", "Savings account", Asset, "bank", "1100"),
		a("1200", "Trade receivables", Asset, "receivable", "1000"),
		a("1210", "Other receivables", Asset, "receivable", "1000"),
		a("1220", "Allowance for doubtful debts", Asset, "receivable", "1000"),
		a("1300", "Inventory", Asset, "inventory", "1000"),
		a("1310", "Goods in transit", Asset, "inventory", "1000"),
		a("1400", "Input VAT", Asset, "tax", "1000"),
		a("1410", "Prepaid expenses", Asset, "prepayment", "1000"),
		a("1420", "Accrued income", Asset, "accrual", "1000"),
		a("1500", "Fixed assets", Asset, "fixed_asset", ""),
		a("1510", "Land and buildings", Asset, "fixed_asset", "1500"),
		a("1520", "Machinery and equipment", Asset, "fixed_asset", "1500"),
		a("1530", "Vehicles", Asset, "fixed_asset", "1500"),
		a("1540", "Computer equipment", Asset, "fixed_asset", "1500"),
		a("1590", "Accumulated depreciation", Asset, "accumulated_depreciation", "1500"),
		a("2000", "Current liabilities", Liability, "other", ""),
		a("2010", "Trade payables", Liability, "payable", "2000"),
		a("2020", "Other payables", Liability, "payable", "2000"),
		a("2100", "Output VAT", Liability, "tax", "2000"),
		a("2110", "VAT settlement", Liability, "tax", "2000"),
		a("2200", "Wages payable", Liability, "payroll", "2000"),
		a("2210", "Payroll taxes payable", Liability, "tax", "2000"),
		a("2300", "Accrued expenses", Liability, "accrual", "2000"),
		a("2310", "Deferred income", Liability, "accrual", "2000"),
		a("2400", "Customer advances", Liability, "other", "2000"),
		a("2500", "Long-term liabilities", Liability, "other", ""),
		a("2510", "Bank loans", Liability, "other", "2500"),
		a("3000", "Equity", Equity, "other", ""),
		a("3010", "Share capital", Equity, "other", "3000"),
		a("3020", "Retained earnings", Equity, "retained_earnings", "3000"),
		a("3030", "Current year earnings", Equity, "other", "3000"),
		a("3040", "Opening balance equity", Equity, "other", "3000"),
		a("4000", "Revenue", Income, "revenue", ""),
		a("4010", "Sales of goods", Income, "revenue", "4000"),
		a("4020", "Sales of services", Income, "revenue", "4000"),
		a("4030", "Sales discounts", Income, "revenue", "4000"),
		a("4100", "Other income", Income, "other", ""),
		a("4110", "Interest income", Income, "other", "4100"),
		a("4120", "Exchange gains", Income, "exchange_difference", "4100"),
		a("5000", "Cost of sales", Expense, "cost_of_sales", ""),
		a("5010", "Cost of goods sold", Expense, "cost_of_sales", "5000"),
		a("5020", "Purchase discounts", Expense, "cost_of_sales", "5000"),
		a("6000", "Operating expenses", Expense, "other", ""),
		a("6010", "Salaries and wages", Expense, "payroll", "6000"),
		a("6020", "Payroll taxes", Expense, "payroll", "6000"),
		a("6100", "Rent", Expense, "other", "6000"),
		a("6110", "Utilities", Expense, "other", "6000"),
		a("6120", "Office supplies", Expense, "other", "6000"),
		a("6130", "Telephone and internet", Expense, "other", "6000"),
		a("6140", "Travel", Expense, "other", "6000"),
		a("6150", "Insurance", Expense, "other", "6000"),
		a("6160", "Professional fees", Expense, "other", "6000"),
		a("6170", "Marketing", Expense, "other", "6000"),
		a("6180", "Repairs and maintenance", Expense, "other", "6000"),
		a("6200", "Depreciation", Expense, "depreciation", "6000"),
		a("6210", "Bad debts", Expense, "other", "6000"),
		a("7000", "Financial expenses", Expense, "other", ""),
		a("7010", "Bank charges", Expense, "other", "7000"),
		a("7020", "Interest expense", Expense, "other", "7000"),
		a("7030", "Exchange losses", Expense, "exchange_difference", "7000"),
		a("7040", "Rounding differences", Expense, "rounding", "7000"),
		a("7900", "Suspense", Expense, "suspense", ""),
	}
	for i := range chart {
		switch chart[i].Subtype {
		case "bank", "receivable", "payable":
			chart[i].Reconcilable = true
		}
	}
	return chart
}
