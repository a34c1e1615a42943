package session

import (
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/results"
)

// ClientsUsed lists the profile's clients for the report header: each
// client's role, ID and the token endpoint authentication methods it is
// checked under (auth_methods, else auth_method; none when unset).
func ClientsUsed(p *profiles.Profile) []results.Client {
	var out []results.Client
	add := func(role string, c *profiles.Client) {
		if c == nil {
			return
		}
		methods := c.AuthMethods
		if len(methods) == 0 {
			m := c.AuthMethod
			if m == "" {
				m = profiles.AuthNone
			}
			methods = []string{m}
		}
		out = append(out, results.Client{Role: role, ID: c.ID, AuthMethods: methods})
	}
	add("public", p.Clients.Public)
	add("confidential", p.Clients.Confidential)
	add("other", p.Clients.Other)
	for _, c := range p.Clients.Extra {
		add("extra", c)
	}
	return out
}
