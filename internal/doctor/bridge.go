package doctor

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Check ids of the bridge's own settings.
const (
	IDPublicURL      = "bridge.public_url"
	IDAdminHashes    = "bridge.admin_hashes"
	IDCORS           = "bridge.cors"
	IDTrustedProxies = "bridge.trusted_proxies"
)

func (d *Doctor) bridgeChecks() []Result {
	rs := []Result{d.publicURLCheck(), d.hashesCheck()}
	rs = append(rs, d.adminLocationsCheck()...)
	return append(rs, d.corsCheck(), d.proxiesCheck())
}

// publicURLCheck: Twilio and Stream call the bridge at PUBLIC_URL; only an
// https URL is reachable and safe for them. http is allowed on loopback, for
// a sandbox.
func (d *Doctor) publicURLCheck() Result {
	u, err := url.Parse(d.Settings.PublicURL)
	switch {
	case err != nil || u.Host == "":
		return problem(IDPublicURL, StatusFail, "PUBLIC_URL is not a URL", "set PUBLIC_URL to the https address Twilio and Stream call")
	case u.Scheme == "https":
		return ok(IDPublicURL, "PUBLIC_URL is https ("+u.Host+")")
	case loopback(u.Hostname()):
		return problem(IDPublicURL, StatusWarn, "PUBLIC_URL is http on this machine: only a local sandbox can call it",
			"set PUBLIC_URL to the https address Twilio and Stream call")
	}
	return problem(IDPublicURL, StatusFail, "PUBLIC_URL is not https: Twilio and Stream sign and call https URLs",
		"set PUBLIC_URL to the https address Twilio and Stream call, as the proxy in front of the bridge serves it")
}

// hashesCheck: a hash below the minimum cost is cheap to crack if leaked.
func (d *Doctor) hashesCheck() Result {
	var weak []string
	for _, a := range d.Settings.Admins {
		if cost, err := bcrypt.Cost(a.Hash); err != nil || cost < d.Settings.MinHashCost {
			weak = append(weak, a.ID)
		}
	}
	if len(weak) > 0 {
		return problem(IDAdminHashes, StatusFail, "ADMIN_USERS entries without a bcrypt hash of cost ≥ "+fmt.Sprint(d.Settings.MinHashCost)+": "+strings.Join(weak, ", "),
			"make each a new hash with `smsbridge hash-password`")
	}
	return ok(IDAdminHashes, fmt.Sprintf("%d ADMIN_USERS entries, each a bcrypt hash of cost ≥ %d", len(d.Settings.Admins), d.Settings.MinHashCost))
}

func (d *Doctor) corsCheck() Result {
	if len(d.Settings.CORSOrigins) > 0 {
		return ok(IDCORS, fmt.Sprintf("CORS_ALLOWED_ORIGINS names %d origin(s)", len(d.Settings.CORSOrigins)))
	}
	return problem(IDCORS, StatusWarn, "CORS_ALLOWED_ORIGINS is empty: a dashboard served from another origin cannot call the API",
		"set CORS_ALLOWED_ORIGINS to the dashboard's origin, e.g. https://dashboard.example.org")
}

// proxiesCheck: behind a proxy, without TRUSTED_PROXIES every caller looks
// like the proxy, so per-address login limits lump all admins together.
func (d *Doctor) proxiesCheck() Result {
	u, err := url.Parse(d.Settings.PublicURL)
	switch {
	case d.Settings.TrustedProxies > 0:
		return ok(IDTrustedProxies, fmt.Sprintf("TRUSTED_PROXIES names %d prefix(es)", d.Settings.TrustedProxies))
	case err == nil && loopback(u.Hostname()):
		return ok(IDTrustedProxies, "PUBLIC_URL is this machine: no proxy in front")
	}
	return problem(IDTrustedProxies, StatusInfo, "PUBLIC_URL's host is not this machine and TRUSTED_PROXIES is empty: clients are told apart by the proxy's address",
		"if a load balancer or proxy is in front, set TRUSTED_PROXIES to its address range")
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
