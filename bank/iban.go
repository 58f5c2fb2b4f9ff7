package bank

import "backoffice/party"

// NormalizeIBAN removes spaces and hyphens and upper-cases s, as IBANs are
// printed in groups of four ("DE89 3704 …") but stored without them. The
// rules live with the parties, whose bank accounts need them too.
func NormalizeIBAN(s string) string { return party.NormalizeIBAN(s) }

// CheckIBAN returns "" for a valid IBAN (country length and mod-97 check
// digits), else what is wrong with it.
func CheckIBAN(iban string) string { return party.CheckIBAN(iban) }

// CheckBIC returns "" for a valid BIC (8 or 11 characters, a real country),
// else what is wrong with it.
func CheckBIC(bic string) string { return party.CheckBIC(bic) }
