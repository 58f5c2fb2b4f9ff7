package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"backoffice"
)

// Argon2Params is the cost of an argon2id password hash.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultArgon2 is OWASP's recommended argon2id setting (19 MiB, 2 passes,
// 1 lane). It keeps memory per concurrent sign-in small, so a burst of
// sign-ins cannot exhaust a small server, while a guess still costs an
// attacker 19 MiB of memory. Measured: about 100 ms per check on the
// project's 2-core machine while busy (load average 15); RFC 9106's 64 MiB,
// 3-pass setting took about 1 s there.
func DefaultArgon2() Argon2Params { return Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1} }

// MinPasswordLength is the shortest password the policy accepts.
const MinPasswordLength = 10

const (
	saltLength = 16
	keyLength  = 32
)

func (s *Service) argon2Params() Argon2Params {
	if s.Argon2.Memory == 0 || s.Argon2.Time == 0 || s.Argon2.Threads == 0 {
		return DefaultArgon2()
	}
	return s.Argon2
}

// hashPassword returns the PHC string $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func hashPassword(password string, p Argon2Params) string {
	salt := make([]byte, saltLength)
	if _, err := rand.Read(salt); err != nil {
		panic(fmt.Sprintf("access: no randomness: %v", err))
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLength)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// parseHash reads the parameters, salt and key of a PHC argon2id string.
func parseHash(phc string) (Argon2Params, []byte, []byte, error) {
	parts := strings.Split(phc, "$")
	var p Argon2Params
	var version int
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("not an argon2id hash")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("argon2 version %q not supported", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("argon2 parameters %q: %w", parts[3], err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("argon2 salt: %w", err)
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return p, nil, nil, fmt.Errorf("argon2 key: %v", err)
	}
	return p, salt, key, nil
}

// checkPassword reports whether password matches the stored hash, comparing
// in constant time with the parameters the hash was made with.
func checkPassword(phc, password string) (bool, error) {
	p, salt, key, err := parseHash(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// needsRehash reports whether a stored hash was made with other parameters
// than the current ones, so the next successful sign-in can upgrade it.
func needsRehash(phc string, current Argon2Params) bool {
	p, _, _, err := parseHash(phc)
	return err != nil || p != current
}

// checkPolicy returns a message for a password that breaks the policy, or "".
func checkPolicy(password, email string) string {
	if len([]rune(password)) < MinPasswordLength || strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)) {
		return fmt.Sprintf("must be at least %d characters long and differ from the e-mail address", MinPasswordLength)
	}
	return ""
}

// passwordAlphabet leaves out letters and digits that people confuse (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// generatePassword returns a random 16-character password (about 93 bits).
func generatePassword() string { return randomString(16, passwordAlphabet) }

func randomString(n int, alphabet string) string {
	out := make([]byte, n)
	buf := make([]byte, n)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic(fmt.Sprintf("access: no randomness: %v", err))
		}
		for _, b := range buf {
			// Reject bytes past the largest multiple of the alphabet size so
			// every character is equally likely.
			if int(b) >= 256-256%len(alphabet) || i == n {
				continue
			}
			out[i] = alphabet[int(b)%len(alphabet)]
			i++
		}
	}
	return string(out)
}

// badCredentials is the one answer for an unknown e-mail and a wrong password,
// so the sign-in form does not tell which e-mail addresses exist.
func badCredentials() error {
	return backoffice.Errorf(backoffice.EUnauthorized, "e-mail or password is wrong")
}
