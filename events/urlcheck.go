package events

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// maxURLLength bounds webhook URLs; longer ones are mistakes or abuse.
const maxURLLength = 2000

// checkURL returns why raw cannot be a webhook URL, or "" when it can.
func checkURL(raw string, allowPrivate bool) string {
	if raw == "" {
		return "is required"
	}
	if len(raw) > maxURLLength {
		return fmt.Sprintf("must be at most %d characters", maxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "must be an absolute http:// or https:// URL, such as https://example.com/hooks/backoffice"
	}
	if u.User != nil {
		return "must not contain a user name or password; receivers authenticate requests by their signature"
	}
	if !allowPrivate && privateHost(u.Hostname()) {
		return "must not point to a loopback, private or link-local address; use a public host name"
	}
	return ""
}

// privateHost reports whether host names this machine or a private network:
// "localhost" and its subdomains, or an address privateAddr refuses. Other
// names are checked when the delivery connects (see newClient), because what
// they resolve to can change after the webhook is saved.
func privateHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	addr, err := netip.ParseAddr(h)
	return err == nil && privateAddr(addr)
}

// cgnat is the carrier-grade NAT range, private in practice though not in
// netip's IsPrivate.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// privateAddr reports whether addr is loopback, private, link-local,
// unspecified or otherwise not a public unicast address.
func privateAddr(addr netip.Addr) bool {
	addr = addr.Unmap()
	return addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() ||
		addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() || addr.IsMulticast() ||
		addr.IsUnspecified() || cgnat.Contains(addr)
}

// errPrivateTarget is returned when a delivery's host resolves to a private
// address while private URLs are not allowed.
var errPrivateTarget = errors.New("refused to connect to a loopback, private or link-local address")

// newClient returns the HTTP client used when Service.Client is nil. Unless
// allowPrivate, its dialer checks the address actually connected to, which
// also defeats host names that resolve, or later re-resolve, to private
// addresses. Redirects are not followed: a 3xx answer is a failed attempt,
// since following it could lead to a private address the URL check never saw.
func newClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			addr, err := netip.ParseAddr(host)
			if err != nil || privateAddr(addr) {
				return errPrivateTarget
			}
			return nil
		}
	}
	transport := &http.Transport{
		Proxy:               nil, // a proxy would hide the real target from the dialer check
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
