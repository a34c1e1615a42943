package httpclient

import "github.com/pkcecheck/pkcecheck/profiles"

// OptionsFor returns the options a profile asks for: its limits
// (timeout, requests_per_second, max_requests), its tls section, and its
// scope (ScopeHosts: the issuer's host, the hosts of the endpoints it
// names, scope.hosts).
func OptionsFor(p *profiles.Profile) (Options, error) {
	cfg, err := TLSConfig(p.TLS)
	if err != nil {
		return Options{}, err
	}
	return Options{
		Timeout:           p.Limits.Timeout,
		RequestsPerSecond: p.Limits.RequestsPerSecond,
		MaxRequests:       p.Limits.MaxRequests,
		TLS:               cfg,
		AllowedHosts:      p.ScopeHosts(),
	}, nil
}

// ForProfile returns the client for protocol traffic to p's target,
// configured by OptionsFor.
func ForProfile(p *profiles.Profile) (*Client, error) {
	opts, err := OptionsFor(p)
	if err != nil {
		return nil, err
	}
	return New(opts), nil
}
