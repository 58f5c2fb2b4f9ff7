package party

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logos may be JPEG
	_ "image/png"  // or PNG
	"net/mail"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// ProfileInput is the company's own legal details: what its invoices,
// letters, e-invoices and payment files say about the seller, creditor or
// debtor. Address follows the party address; VAT id, Peppol endpoint, IBAN
// and BIC are checked like a party's.
type ProfileInput struct {
	LegalName      string  `json:"legal_name"`
	TradeName      string  `json:"trade_name"`
	Address        Address `json:"address"`
	VATID          string  `json:"vat_id"`          // BT-31
	TaxID          string  `json:"tax_id"`          // BT-32, the local tax registration
	RegistrationID string  `json:"registration_id"` // BT-30, e.g. the trade register number
	PeppolScheme   string  `json:"peppol_scheme"`   // BT-34 scheme (EAS code)
	PeppolID       string  `json:"peppol_id"`       // BT-34
	Email          string  `json:"email"`
	Phone          string  `json:"phone"`
	Website        string  `json:"website"`
	IBAN           string  `json:"iban"` // where customers pay (BT-84)
	BIC            string  `json:"bic"`
	BankName       string  `json:"bank_name"`
	CreditorID     string  `json:"creditor_id"` // SEPA creditor identifier, for direct debits
	Language       string  `json:"language"`    // ISO 639-1, for the company's own documents
}

// Profile is a company's stored legal details. Version 0 means nothing was
// saved yet: the legal name then defaults to the company's name.
type Profile struct {
	CompanyID backoffice.ID `json:"company_id"`
	ProfileInput
	LogoType  string    `json:"logo_type,omitempty"` // image/png or image/jpeg; "" without a logo
	LogoHash  string    `json:"logo_sha256,omitempty"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// MaxLogoBytes bounds an uploaded logo.
const MaxLogoBytes = 512 << 10

func (in *ProfileInput) normalise() {
	for _, p := range []*string{&in.LegalName, &in.TradeName, &in.TaxID, &in.RegistrationID, &in.PeppolScheme, &in.PeppolID,
		&in.Email, &in.Phone, &in.Website, &in.BankName, &in.Address.Lines, &in.Address.City, &in.Address.PostalCode, &in.Address.Region} {
		*p = strings.TrimSpace(*p)
	}
	in.Address.Country = strings.ToUpper(strings.TrimSpace(in.Address.Country))
	in.VATID, in.IBAN = NormalizeVAT(in.VATID), NormalizeIBAN(in.IBAN)
	in.BIC = strings.ToUpper(strings.TrimSpace(in.BIC))
	in.CreditorID = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(in.CreditorID), " ", ""))
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	if in.Language == "" {
		in.Language = "en"
	}
}

// check validates the details, naming every bad field.
func (in *ProfileInput) check() backoffice.Validation {
	v := backoffice.Validation{}
	v.Check(in.LegalName != "" && len(in.LegalName) <= 200, "legal_name", "is required, at most 200 characters")
	v.Check(len(in.TradeName) <= 200, "trade_name", "must be at most 200 characters")
	checkAddress(v, "address", in.Address)
	if in.VATID != "" {
		if msg := CheckVAT(in.VATID); msg != "" {
			v.Add("vat_id", msg)
		}
	}
	if in.PeppolScheme != "" || in.PeppolID != "" {
		if !ValidEAS(in.PeppolScheme) {
			v.Add("peppol_scheme", "must be an EAS code such as 0088 (GLN), 0192, 0208 or 9930")
		} else if msg := CheckEndpoint(in.PeppolScheme, in.PeppolID); msg != "" {
			v.Add("peppol_id", msg)
		}
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			v.Add("email", "must be an e-mail address like billing@example.com")
		}
	}
	if in.IBAN != "" {
		if msg := CheckIBAN(in.IBAN); msg != "" {
			v.Add("iban", msg)
		}
	}
	if in.BIC != "" {
		if msg := CheckBIC(in.BIC); msg != "" {
			v.Add("bic", msg)
		}
	}
	if in.CreditorID != "" {
		if msg := CheckCreditorID(in.CreditorID); msg != "" {
			v.Add("creditor_id", msg)
		}
	}
	v.Check(len(in.Language) == 2 && strings.Contains(languages, " "+in.Language+" "), "language", "must be an ISO 639-1 code like en, de, fr")
	return v
}

// flat is the details as the change log shows them: one field per line of
// the address, not the address as one value.
func (in ProfileInput) flat() map[string]any {
	m, _ := audit.Fields(in)
	delete(m, "address")
	for k, v := range map[string]string{"lines": in.Address.Lines, "city": in.Address.City, "postal_code": in.Address.PostalCode,
		"region": in.Address.Region, "country": in.Address.Country} {
		m["address."+k] = v
	}
	return m
}

// CheckCreditorID checks a SEPA creditor identifier: country code, two
// check digits (ISO 7064 mod 97-10 over the national identifier, the
// country code and "00", skipping the three-character business code), a
// business code and the national identifier ("DE98ZZZ09999999999"). It
// returns what is wrong, or "".
func CheckCreditorID(id string) string {
	if len(id) < 8 || len(id) > 35 || !ValidCountry(id[:2]) || !isDigit(id[2]) || !isDigit(id[3]) || !alnum(id[4:]) {
		return "must be a SEPA creditor identifier like DE98ZZZ09999999999"
	}
	if mod97(id[7:]+id[:2]+"00") != 98-atoi2(id[2:4]) {
		return "has wrong check digits"
	}
	return ""
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

const profileColumns = `legal_name, trade_name, address_lines, city, postal_code, region, country, vat_id, tax_id, registration_id,
	peppol_scheme, peppol_id, email, phone, website, iban, bic, bank_name, creditor_id, language, logo_type, logo, version, updated_at`

// Profile returns the company's legal details (defaults when none were saved).
func (s *Service) Profile(ctx context.Context, companyID backoffice.ID) (Profile, error) {
	p, _, err := getProfile(ctx, s.DB, companyID)
	return p, err
}

// Logo returns the company's logo and its media type; ENotFound without one.
func (s *Service) Logo(ctx context.Context, companyID backoffice.ID) (string, []byte, error) {
	p, logo, err := getProfile(ctx, s.DB, companyID)
	if err != nil {
		return "", nil, err
	}
	if len(logo) == 0 {
		return "", nil, backoffice.Errorf(backoffice.ENotFound, "the company has no logo yet")
	}
	return p.LogoType, logo, nil
}

func getProfile(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (Profile, []byte, error) {
	p := Profile{CompanyID: companyID}
	var logo []byte
	in := &p.ProfileInput
	err := q.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM company_profiles WHERE company_id = ?`, int64(companyID)).Scan(
		&in.LegalName, &in.TradeName, &in.Address.Lines, &in.Address.City, &in.Address.PostalCode, &in.Address.Region, &in.Address.Country,
		&in.VATID, &in.TaxID, &in.RegistrationID, &in.PeppolScheme, &in.PeppolID, &in.Email, &in.Phone, &in.Website, &in.IBAN, &in.BIC,
		&in.BankName, &in.CreditorID, &in.Language, &p.LogoType, &logo, &p.Version, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, `SELECT name FROM companies WHERE id = ?`, int64(companyID)).Scan(&in.LegalName)
		if errors.Is(err, sql.ErrNoRows) {
			return p, nil, backoffice.Errorf(backoffice.ENotFound, "company %s not found", companyID)
		}
		in.Language = "en"
		return p, nil, err
	}
	if err != nil {
		return p, nil, fmt.Errorf("read company profile: %w", err)
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	if len(logo) > 0 {
		sum := sha256.Sum256(logo)
		p.LogoHash = hex.EncodeToString(sum[:])
	}
	return p, logo, nil
}

// SetProfile saves the company's legal details. version is the version the
// caller read (0 for the first save); a stale one is refused.
func (s *Service) SetProfile(ctx context.Context, companyID backoffice.ID, version int64, in ProfileInput) (Profile, error) {
	in.normalise()
	if err := in.check().Err("company profile"); err != nil {
		return Profile{}, err
	}
	var after Profile
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, logo, err := getProfile(ctx, tx, companyID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return backoffice.Errorf(backoffice.EPrecondition, "the company details were changed by someone else since version %d: reload them and apply your change again", version)
		}
		after = before
		after.ProfileInput, after.Version, after.UpdatedAt = in, version+1, s.now()
		if err := writeProfile(ctx, tx, after, logo); err != nil {
			return err
		}
		action := "update"
		if version == 0 {
			action = "create"
		}
		old, new, err := audit.Diff(before.ProfileInput.flat(), after.ProfileInput.flat())
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "company_profile", EntityID: companyID.String(), Action: action, Old: old, New: new})
		return err
	})
	return after, err
}

// SetLogo stores a PNG or JPEG logo (at most MaxLogoBytes); nil removes it.
func (s *Service) SetLogo(ctx context.Context, companyID backoffice.ID, data []byte) (Profile, error) {
	var kind string
	if len(data) > 0 {
		if len(data) > MaxLogoBytes {
			return Profile{}, &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("the logo is %d KiB; at most %d KiB are accepted", len(data)>>10, MaxLogoBytes>>10),
				Fields: map[string]string{"logo": "is too large"}}
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || (format != "png" && format != "jpeg") {
			return Profile{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "the logo must be a PNG or JPEG image", Fields: map[string]string{"logo": "is not a PNG or JPEG image"}}
		}
		if cfg.Width > 4000 || cfg.Height > 4000 {
			return Profile{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "the logo is larger than 4000×4000 pixels", Fields: map[string]string{"logo": "is too large"}}
		}
		kind = "image/" + format
	}
	var after Profile
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, _, err := getProfile(ctx, tx, companyID)
		if err != nil {
			return err
		}
		after = before
		after.LogoType, after.Version, after.UpdatedAt, after.LogoHash = kind, before.Version+1, s.now(), ""
		if len(data) > 0 {
			sum := sha256.Sum256(data)
			after.LogoHash = hex.EncodeToString(sum[:])
		}
		if before.Version == 0 {
			after.normalise()
		}
		if err := writeProfile(ctx, tx, after, data); err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "company_profile", EntityID: companyID.String(), Action: "logo",
			Old: map[string]any{"logo_sha256": before.LogoHash}, New: map[string]any{"logo_sha256": after.LogoHash, "logo_type": kind}})
		return err
	})
	return after, err
}

// writeProfile inserts or replaces the company's row.
func writeProfile(ctx context.Context, tx *sqldb.Tx, p Profile, logo []byte) error {
	in := p.ProfileInput
	args := []any{in.LegalName, in.TradeName, in.Address.Lines, in.Address.City, in.Address.PostalCode, in.Address.Region, in.Address.Country,
		in.VATID, in.TaxID, in.RegistrationID, in.PeppolScheme, in.PeppolID, in.Email, in.Phone, in.Website, in.IBAN, in.BIC,
		in.BankName, in.CreditorID, in.Language, p.LogoType, logo, p.Version, p.UpdatedAt}
	res, err := tx.ExecContext(ctx, `UPDATE company_profiles SET legal_name = ?, trade_name = ?, address_lines = ?, city = ?, postal_code = ?,
		region = ?, country = ?, vat_id = ?, tax_id = ?, registration_id = ?, peppol_scheme = ?, peppol_id = ?, email = ?, phone = ?, website = ?,
		iban = ?, bic = ?, bank_name = ?, creditor_id = ?, language = ?, logo_type = ?, logo = ?, version = ?, updated_at = ? WHERE company_id = ?`,
		append(args, int64(p.CompanyID))...)
	if err != nil {
		return fmt.Errorf("save company profile: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO company_profiles (`+profileColumns+`, company_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, int64(p.CompanyID))...)
	if err != nil {
		return fmt.Errorf("save company profile: %w", err)
	}
	return nil
}
