package profiles

import (
	"fmt"
	"net"
	"strings"
)

// Where Limits.RequestsPerSecond came from (Limits.RateSource).
const (
	// RateFromProfile: the profile's limits.requests_per_second.
	RateFromProfile = "profile"
	// RateDefault: DefaultRequestsPerSecond, for a server on other hosts
	// (a shared staging tenant).
	RateDefault = "default"
	// RateLoopback: no limit, because every host of the profile is a
	// loopback address (a server on the same machine).
	RateLoopback = "loopback"
)

// ApplyRateDefault sets the rate limit of a profile that gives no
// limits.requests_per_second: none when every host the run may send to
// (ScopeHosts) is a loopback address, DefaultRequestsPerSecond otherwise.
// An explicit limit (RateSource RateFromProfile) is left alone.
func (p *Profile) ApplyRateDefault() {
	if p.Limits.RateSource == RateFromProfile {
		return
	}
	if p.AllLoopback() {
		p.Limits.RequestsPerSecond, p.Limits.RateSource = 0, RateLoopback
		return
	}
	p.Limits.RequestsPerSecond, p.Limits.RateSource = DefaultRequestsPerSecond, RateDefault
}

// AllLoopback reports whether every host of ScopeHosts (at least one) is
// localhost or a loopback IP address.
func (p *Profile) AllLoopback() bool {
	hosts := p.ScopeHosts()
	for _, h := range hosts {
		if !isLoopbackHost(h) {
			return false
		}
	}
	return len(hosts) > 0
}

func isLoopbackHost(h string) bool {
	h = strings.TrimSuffix(strings.Trim(strings.ToLower(h), "[]"), ".")
	if h == "localhost" || (strings.HasSuffix(h, ".localhost") && !strings.HasPrefix(h, "*")) {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// DescribeRate says which rate limit applies and why, for the run's
// progress lines.
func (l Limits) DescribeRate() string {
	switch {
	case l.RequestsPerSecond <= 0 && l.RateSource == RateLoopback:
		return "no rate limit: every host of the profile is a loopback address (set limits.requests_per_second to pace the run)"
	case l.RequestsPerSecond <= 0:
		return "no rate limit"
	case l.RateSource == RateDefault:
		return fmt.Sprintf("rate limit %g requests/s: the default for a server on other hosts (set limits.requests_per_second to change it)", l.RequestsPerSecond)
	case l.RateSource == RateFromProfile:
		return fmt.Sprintf("rate limit %g requests/s: the profile's limits.requests_per_second", l.RequestsPerSecond)
	}
	return fmt.Sprintf("rate limit %g requests/s", l.RequestsPerSecond)
}
