package bank

import (
	"context"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// OpenItemMatch is an open item found by SearchOpenItems.
type OpenItemMatch struct {
	Item ledger.LineRef `json:"item"`
	OpenItemInfo
}

// SearchOpenItems finds open receivables and payables in currency whose
// document number, entry number or party name contains query (any case),
// or whose open amount is the decimal amount typed, at most limit of them:
// what a person looks for when the engine proposed nothing right.
func (s *Service) SearchOpenItems(ctx context.Context, companyID backoffice.ID, query string, currency backoffice.Currency, limit int) ([]OpenItemMatch, error) {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return []OpenItemMatch{}, nil
	}
	amount, amountErr := backoffice.ParseMinor(strings.TrimPrefix(strings.ReplaceAll(q, ",", "."), "-"), currency.Exponent())
	book, err := s.openItemBook(ctx, companyID)
	if err != nil {
		return nil, err
	}
	out := []OpenItemMatch{}
	for i, info := range book.info {
		if info.Currency != currency {
			continue
		}
		hit := strings.Contains(strings.ToLower(info.DocumentNumber), q) || strings.Contains(strings.ToLower(info.EntryNumber), q) ||
			strings.Contains(strings.ToLower(info.PartyName), q) || (amountErr == nil && abs(info.Residual) == amount)
		if hit {
			out = append(out, OpenItemMatch{Item: book.refs[i], OpenItemInfo: info})
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}
