package profiles

import "fmt"

// RoleClient is one client of a profile with its role in it: "public",
// "confidential" or "extra[N]".
type RoleClient struct {
	Role   string
	Client *Client
}

// EachClient lists each client of the profile once, with the
// authentication method the checks use by default: the public client, the
// confidential client, then every extra client (the per-client rule of
// docs/design.md).
func (p *Profile) EachClient() []RoleClient {
	var out []RoleClient
	add := func(role string, c *Client) {
		if c != nil {
			out = append(out, RoleClient{Role: role, Client: c})
		}
	}
	add("public", p.Clients.Public)
	add("confidential", p.Clients.Confidential)
	for i, c := range p.Clients.Extra {
		add(fmt.Sprintf("extra[%d]", i), c)
	}
	return out
}

// EachMethod lists every (client, authentication method) of the profile:
// EachClient, each client repeated for each of its Methods, as a copy with
// AuthMethod set to the method.
func (p *Profile) EachMethod() []RoleClient {
	var out []RoleClient
	for _, rc := range p.EachClient() {
		for _, m := range rc.Client.Methods() {
			cc := *rc.Client
			cc.AuthMethod = m
			out = append(out, RoleClient{Role: rc.Role, Client: &cc})
		}
	}
	return out
}
