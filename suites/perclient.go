package suites

import (
	"context"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// The per-client rule (docs/design.md): a check whose outcome can depend on
// the client runs once for each client of the profile where it applies, and
// each run names the client and its authentication method. A client that an
// endpoint cannot authenticate (HTTP 401, or invalid_client, on a
// well-formed request) is skipped with that reason, never judged: the
// requirement's verdict comes from the clients that ran, and it is `skip`
// only when every client was skipped.

// name says which client a per-client probe used: role, id and method.
func (p authPair) name() string {
	return fmt.Sprintf("%s client %s (%s)", p.role, p.client.ID, p.client.AuthMethod)
}

// profileClients lists each client of the profile once, with the
// authentication method the other checks use: the public client, the
// confidential client and every extra client. It is for checks at the
// token and PAR endpoints, where each client's authentication takes its own
// code path.
func profileClients(p *profiles.Profile) []authPair {
	return pairsOf(p.EachClient())
}

// pairsOf turns the profile's role list into the suites' pairs.
func pairsOf(rcs []profiles.RoleClient) []authPair {
	out := make([]authPair, len(rcs))
	for i, rc := range rcs {
		out[i] = authPair{role: rc.Role, client: rc.Client}
	}
	return out
}

// frontClients are the public and confidential clients: /authorize sees
// the client but not how it authenticates, so an extra client adds nothing
// a confidential one does not show there.
func frontClients(p *profiles.Profile) []authPair {
	var out []authPair
	for _, c := range profileClients(p) {
		if c.role == "public" || c.role == "confidential" {
			out = append(out, c)
		}
	}
	return out
}

// unauthenticated reports whether r says the endpoint did not authenticate
// the client: HTTP 401, or the error invalid_client.
func unauthenticated(r *tokenclient.Response) bool {
	return r.Status == 401 || (r.Err != nil && r.Err.Code == "invalid_client")
}

// skipClient ends the spec with status skip for one client that the
// endpoint cannot authenticate, saying so in the requirement's summary.
func skipClient(p authPair, where string, r *tokenclient.Response) {
	skipClientBecause(p, fmt.Sprintf("%s cannot authenticate it (%s on a well-formed request)", where, answer(r)))
}

// skipClientBecause ends the spec with status skip for one client, with
// the reason. The spec's text names the client already; the requirement's
// summary names it beside the reason when other clients ran.
func skipClientBecause(p authPair, why string) {
	ginkgo.AddReportEntry(entryClientSkip, p.name()+": "+why, ginkgo.ReportEntryVisibilityNever)
	ginkgo.Skip(why, 2)
}

// skipIfTokenUnauthenticated is called with r, the answer to a probe of p
// at the token endpoint, when r may mean that the endpoint cannot
// authenticate p's client at all. A control redemption with the right
// verifier tells: refused as unauthenticated too, the client is skipped;
// otherwise the probe's answer stands and the caller judges it.
func (t *Target) skipIfTokenUnauthenticated(ctx context.Context, p authPair, r *tokenclient.Response) {
	if !unauthenticated(r) {
		return
	}
	pair := newPair(43)
	code := t.mustCode(ctx, p.client, s256(pair))
	if c := t.redeem(ctx, p.name()+", control: right verifier", p.client, code, &pair.Verifier); unauthenticated(c) {
		skipClient(p, "the token endpoint", c)
	}
}

// redeemRight mints an S256 code for p's client and redeems it with the
// right verifier: the first redemption of a per-client probe. A client the
// token endpoint does not authenticate is skipped rather than judged.
func (t *Target) redeemRight(ctx context.Context, p authPair, probe string) (*tokenclient.Response, pkceCode) {
	pair := newPair(43)
	code := t.mustCode(ctx, p.client, s256(pair))
	r := t.redeem(ctx, p.name()+", "+probe, p.client, code, &pair.Verifier)
	if unauthenticated(r) {
		skipClient(p, "the token endpoint", r)
	}
	return r, pkceCode{code: code, verifier: pair.Verifier}
}

// pkceCode is a code and the verifier of its challenge.
type pkceCode struct{ code, verifier string }
