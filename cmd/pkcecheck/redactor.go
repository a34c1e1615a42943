package main

import (
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// outputRedactor masks the profile's secrets in what the command prints.
// Values that only identify the target (issuer, endpoints, client IDs,
// redirect URIs) stay readable even when they came from ${VAR}.
func outputRedactor(p *profiles.Profile) *redact.Redactor {
	public := map[string]bool{p.Issuer: true, p.Endpoints.Authorization: true, p.Endpoints.Token: true,
		p.Endpoints.Userinfo: true, p.Endpoints.Introspection: true}
	for _, c := range []*profiles.Client{p.Clients.Public, p.Clients.Confidential, p.Clients.Other} {
		if c != nil {
			public[c.ID], public[c.RedirectURI] = true, true
		}
	}
	red := redact.New()
	for _, s := range p.Secrets() {
		if !public[s] {
			red.Add(s)
		}
	}
	for _, c := range []*profiles.Client{p.Clients.Public, p.Clients.Confidential, p.Clients.Other} {
		if c != nil && c.Secret != "" {
			red.Add(c.Secret) // a secret even if it equals an ID
		}
	}
	return red
}
